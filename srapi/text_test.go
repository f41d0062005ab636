package srapi_test

import (
	"encoding/json"
	"testing"

	"github.com/schemata-dev/schemata/srapi"
)

func TestUnencodableField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"Clean", &srapi.Consumer{Name: "c", Owner: "o", Labels: map[string]string{"k": "v"}}, ""},
		{"Owner", &srapi.Consumer{Name: "c", Owner: "a\x00b"}, "owner"},
		{"LabelKey", &srapi.Consumer{Name: "c", Labels: map[string]string{"a\x00": "v"}}, "labels (a key)"},
		{"LabelValue", &srapi.Consumer{Name: "c", Labels: map[string]string{"k": "\xff"}}, "labels.k"},
		{"NestedSlice", &srapi.Consumer{Reads: []srapi.ConsumerRead{{Subject: "s"}, {Subject: "s", Fields: []string{"ok", "b\x00"}}}}, "reads[1].fields[1]"},
		{"Reference", &srapi.RegisterRequest{Schema: "x", References: []srapi.Reference{{Name: "n", Subject: "\x00"}}}, "references[0].subject"},
		{"RawBytesAreLeftToTheirDecoding", &struct{ Raw json.RawMessage }{Raw: json.RawMessage("\x00")}, ""},
		{"Nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := srapi.UnencodableField(tt.v); got != tt.want {
				t.Errorf("UnencodableField = %q, want %q", got, tt.want)
			}
		})
	}
}
