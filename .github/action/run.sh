#!/usr/bin/env bash
# The script of action.yml: build plansite from the action's own checkout,
# check the plans (problems become annotations on the pull request's lines),
# then build the site. Run it locally the same way:
#   INPUT_SOURCE=docs INPUT_DEST=public INPUT_STRICT=true .github/action/run.sh
# PLANSITE names a plansite binary to use instead of building one.
set -euo pipefail

source_dir=${INPUT_SOURCE:-.}
dest=${INPUT_DEST:-public}
strict=${INPUT_STRICT:-false}

case "$strict" in
  true | false) ;;
  *) echo "::error title=plansite::strict is \"$strict\"; use true or false" >&2; exit 2 ;;
esac

plansite=${PLANSITE:-}
if [ -z "$plansite" ]; then
  action_dir=$(cd "$(dirname "$0")/../.." && pwd)
  plansite="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/plansite-action/plansite"
  (cd "$action_dir" && CGO_ENABLED=0 go build -trimpath -o "$plansite" ./cmd/plansite)
fi

check_args=(check "$source_dir" --format github)
if [ "$strict" = true ]; then
  check_args+=(--strict)
fi
# Annotations go to the log whatever the status; a failing check stops here.
"$plansite" "${check_args[@]}"

"$plansite" build "$source_dir" --dest "$dest"

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "site=$dest" >>"$GITHUB_OUTPUT"
fi
