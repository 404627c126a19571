# A small image for CI: the static plansite binary on distroless.
#   docker build -t plansite .
#   docker run --rm -v "$PWD:/work" plansite check docs --strict
#   docker run --rm -u "$(id -u)" -v "$PWD:/work" plansite build docs -d public
# The image has no git: the burndown's commit history, the repository URL from
# the git remote and the stale rule's commit date fall back as outside a
# repository (set repo_url in plansite.toml, or pass check --now).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/plansite ./cmd/plansite

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/plansite /usr/local/bin/plansite
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/plansite"]
CMD ["--help"]
