package srapi_test

import (
	"encoding/json"
	"strconv"
	"strings"
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
		{"EmbeddedStructIsTheBodysOwn", &struct{ srapi.RegisterRequest }{srapi.RegisterRequest{Schema: "\x00"}}, "schema"},
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

// BenchmarkUnencodableField measures the guard on a schema body of 1 MiB
// with a few references, the largest body a registration usually has.
func BenchmarkUnencodableField(b *testing.B) {
	req := &srapi.RegisterRequest{Schema: strings.Repeat(`{"name":"f","type":"long"},`, 1<<20/27)}
	for i := range 10 {
		req.References = append(req.References, srapi.Reference{Name: "r" + strconv.Itoa(i), Subject: "s", Version: 1})
	}
	b.SetBytes(int64(len(req.Schema)))
	for b.Loop() {
		if f := srapi.UnencodableField(req); f != "" {
			b.Fatal(f)
		}
	}
}
