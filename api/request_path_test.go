package api

import "testing"

func TestJSONPathNamesOnlyTheKeysTheClientSent(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, field, want string }{
		{"TopLevelKey", "schema", "schema"},
		{"KeyOfAnEmbeddedSchema", "Schema.schema", "schema"},
		{"NestedKeyUnderAnEmbeddedStruct", "Schema.references.version", "references.version"},
		{"NestedKey", "reads.backfill", "reads.backfill"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := jsonPath(tt.field); got != tt.want {
				t.Errorf("jsonPath(%q) = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}
