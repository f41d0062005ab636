package avro

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	hamba "github.com/hamba/avro/v2"
)

// hambaCases are texts around every attribute hambaDirect reads, with
// whether it is expected to build them itself (false: it leaves them to
// hamba.Parse).
var hambaCases = []struct {
	name   string
	text   string
	direct bool
}{
	{"primitive name", `"long"`, true},
	{"null", `null`, true},
	{"primitive object with props", `{"type":"string","logicalType":"uuid","x":[1,2.5,{"y":null}]}`, true},
	{"unknown logical type kept as a prop", `{"type":"int","logicalType":"weird"}`, true},
	{"logical type on the wrong primitive", `{"type":"string","logicalType":"date"}`, true},
	{"bytes decimal", `{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}`, true},
	{"bytes decimal, scale above precision", `{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}`, true},
	{"bytes decimal without precision", `{"type":"bytes","logicalType":"decimal"}`, true},
	{"bytes decimal, fractional precision", `{"type":"bytes","logicalType":"decimal","precision":4.5}`, false},
	{"bytes decimal, string precision", `{"type":"bytes","logicalType":"decimal","precision":"4"}`, false},
	{"fixed decimal too precise for its size", `{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":9}`, true},
	{"fixed decimal", `{"type":"fixed","name":"F","size":8,"logicalType":"decimal","precision":9,"scale":1,"doc":"d"}`, true},
	{"fixed duration", `{"type":"fixed","name":"D","namespace":"n","size":12,"logicalType":"duration"}`, true},
	{"fixed duration of the wrong size", `{"type":"fixed","name":"D","size":4,"logicalType":"duration"}`, true},
	{"fixed without size", `{"type":"fixed","name":"F"}`, false},
	{"fixed, fractional size", `{"type":"fixed","name":"F","size":4.5}`, false},
	{"union", `["null","int",{"type":"array","items":"string"}]`, true},
	{"union in an object", `{"type":["null","int"],"other":1}`, true},
	{"duplicate union branches", `["int","int"]`, false},
	{"map with props", `{"type":"map","values":{"type":"long","logicalType":"timestamp-millis"},"p":"q"}`, true},
	{"array without items", `{"type":"array"}`, false},
	{"record", `{"type":"record","name":"R","namespace":"com.acme","doc":"d","aliases":["Old"],"x-prop":{"a":1},
		"fields":[
			{"name":"a","type":"int","default":0,"doc":"the a","aliases":["b"],"order":"descending","p":true},
			{"name":"s","type":["null","string"],"default":null},
			{"name":"m","type":{"type":"map","values":"double"},"default":{"k":1.5}},
			{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"],"default":"X","aliases":["OldE"],"doc":"e"},"default":"Y"},
			{"name":"e2","type":"OldE"},
			{"name":"e3","type":"E"},
			{"name":"f","type":{"type":"fixed","name":"F","namespace":"other","size":2,"aliases":["G"]}},
			{"name":"f2","type":"other.F"},
			{"name":"f3","type":"other.G"},
			{"name":"self","type":["null","R"],"default":null},
			{"name":"alias","type":["null","com.acme.Old"],"default":null},
			{"name":"bytes","type":"bytes","default":"\u00ff"}
		]}`, true},
	{"error record", `{"type":"error","name":"Oops","fields":[{"name":"msg","type":"string"}]}`, true},
	{"nested namespaces", `{"type":"record","name":"a.b.R","namespace":"ignored","fields":[
			{"name":"inner","type":{"type":"record","name":"I","fields":[{"name":"x","type":"int"}]}},
			{"name":"again","type":"a.b.I"},
			{"name":"dotted","type":{"type":"record","name":"c.D","fields":[]}},
			{"name":"plain","type":{"type":"record","name":"P","namespace":"","fields":[]}}
		]}`, true},
	{"record without fields", `{"type":"record","name":"R"}`, false},
	{"record with null fields", `{"type":"record","name":"R","fields":null}`, false},
	{"record with a null doc", `{"type":"record","name":"R","doc":null,"fields":[]}`, false},
	{"record with a key in another case", `{"type":"record","Name":"R","fields":[]}`, false},
	{"field with a key in another case", `{"type":"record","name":"R","fields":[{"name":"a","Type":"int"}]}`, false},
	{"field without type", `{"type":"record","name":"R","fields":[{"name":"a"}]}`, false},
	{"field with a null type", `{"type":"record","name":"R","fields":[{"name":"a","type":null}]}`, true},
	{"field with a bad default", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}`, false},
	{"field with a bad order", `{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]}`, false},
	{"duplicate fields", `{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}`, false},
	{"duplicate names", `{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"enum","name":"R","symbols":["A"]}}]}`, false},
	{"unknown name", `{"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]}`, false},
	{"invalid name", `{"type":"record","name":"1R","fields":[]}`, false},
	{"enum with a non-string default", `{"type":"enum","name":"E","symbols":["A"],"default":1}`, false},
	{"enum with an unknown default", `{"type":"enum","name":"E","symbols":["A"],"default":"B"}`, false},
	{"not JSON", `{"type":`, false},
}

// TestHambaDirectMatchesParse checks that wherever hambaDirect builds a
// schema itself it builds exactly what hamba.Parse does, for the cases
// above, the specification's vectors and every Avro file in the module.
func TestHambaDirectMatchesParse(t *testing.T) {
	for _, tc := range hambaCases {
		t.Run(tc.name, func(t *testing.T) {
			if direct := checkHambaDirect(t, tc.text); direct != tc.direct {
				t.Errorf("built directly = %v, want %v", direct, tc.direct)
			}
		})
	}
	var texts []string
	for _, v := range readVectors(t) {
		texts = append(texts, v.input)
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root:
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(path, ".avsc"):
			b, err := os.ReadFile(path)
			texts = append(texts, string(b))
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	direct := 0
	for _, text := range texts {
		if checkHambaDirect(t, text) {
			direct++
		}
	}
	// Nearly all real schemas take the direct path: if they stopped to,
	// registrations would quietly cost what they did before it.
	if direct < len(texts)*9/10 {
		t.Errorf("built %d of %d texts directly, want at least 90%%", direct, len(texts))
	}
}

// checkHambaDirect fails t if hambaDirect builds text differently from
// hamba, and reports whether it built it.
func checkHambaDirect(t *testing.T, text string) bool {
	t.Helper()
	got, ok := hambaDirect(text)
	if !ok {
		return false
	}
	want, err := hamba.ParseWithCache(text, "", &hamba.SchemaCache{})
	if err != nil {
		t.Errorf("built %s directly, but hamba refuses it: %v", text, err)
		return true
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("built %s directly as\n%#v\nhamba parses it as\n%#v", text, got, want)
	}
	return true
}

// FuzzHambaDirect holds hambaDirect to hamba.Parse on any input.
func FuzzHambaDirect(f *testing.F) {
	for _, tc := range hambaCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkHambaDirect(t, text)
	})
}
