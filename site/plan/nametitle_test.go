package plan

import "testing"

func TestNameTitle(t *testing.T) {
	cases := []struct {
		name  string
		texts []string
		want  string
	}{
		{"adr", nil, "ADR"},
		{"api-gateway", nil, "API gateway"},
		{"capacity-based-throttling", nil, "Capacity based throttling"},
		{"ui_and_ux", nil, "UI and UX"},
		{"epic-4", nil, "Epic 4"},
		{"iOS-app", nil, "iOS app"},
		{"app-for-iOS", nil, "App for iOS"},
		{"GraphQL", nil, "GraphQL"},
		{"phases", nil, "Phases"},
		{"phases", []string{"Phases of the PHASES"}, "PHASES"},
		{"phases", []string{"Phases"}, "Phases"},
		// An acronym the table lacks, spelled in capitals by its documents.
		{"grpc-server", []string{"Phase 1: GRPC server"}, "GRPC server"},
		{"grpc-server", []string{"Phase 1", "Phase 2: the gRPC server"}, "gRPC server"},
		{"graphql", []string{"GraphQL schema"}, "GraphQL"},
		{"api", []string{"The Api"}, "API"},
		// Inside a longer word it is not that word.
		{"grpc-server", []string{"GRPCS in production", "MYGRPC"}, "Grpc server"},
		{"rate-limits", []string{"RATE-LIMITED endpoints"}, "Rate limits"},
		{"adr", []string{"ADR-0001: Use Go"}, "ADR"},
		{"mvps", []string{"MVPS-era notes", "before-MVPS"}, "Mvps"},
		{"mvps", []string{"Ship 2 MVPS-2026"}, "MVPS"},
		{"状态", nil, "状态"},
	}
	for _, c := range cases {
		if got := NameTitle(c.name, c.texts...); got != c.want {
			t.Errorf("NameTitle(%q, %q) = %q, want %q", c.name, c.texts, got, c.want)
		}
	}
}
