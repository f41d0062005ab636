package openapi_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/api/openapi"
	"github.com/schemata-dev/schemata/srapi"
)

// contract names the srapi type each component schema describes. The
// document is written by hand, for its descriptions; this table and
// TestComponentsMatchTheContract keep it from drifting from the types the
// server renders and the client decodes.
var contract = map[string]reflect.Type{
	"ErrorResponse":      reflect.TypeFor[srapi.ErrorBody](),
	"SchemaReference":    reflect.TypeFor[srapi.Reference](),
	"SchemaByID":         reflect.TypeFor[srapi.SchemaByID](),
	"SubjectVersionPair": reflect.TypeFor[srapi.SubjectVersionRef](),
	"SubjectVersion":     reflect.TypeFor[srapi.SubjectVersion](),
	"RegisterRequest":    reflect.TypeFor[srapi.RegisterRequest](),
	"RegisterResponse":   reflect.TypeFor[srapi.RegisterResponse](),
	"Finding":            reflect.TypeFor[srapi.Finding](),
	// One schema for both answers: verbose=true adds messages and
	// findings to CompatibilityCheck's is_compatible.
	"CompatibilityResponse": reflect.TypeFor[srapi.VerboseCompatibilityCheck](),
	"ConfigResponse":        reflect.TypeFor[srapi.Config](),
	"ConfigRequest":         reflect.TypeFor[srapi.ConfigUpdate](),
	"Mode":                  reflect.TypeFor[srapi.Mode](),
	"Metadata":              reflect.TypeFor[srapi.Metadata](),
	"RuleSet":               reflect.TypeFor[srapi.RuleSet](),
	"Rule":                  reflect.TypeFor[srapi.Rule](),
	"ServerID":              reflect.TypeFor[srapi.ServerID](),
	"ServerVersion":         reflect.TypeFor[srapi.ServerVersion](),
	"Whoami":                reflect.TypeFor[srapi.Whoami](),
	"TokenInfo":             reflect.TypeFor[srapi.Token](),
	"CreateTokenRequest":    reflect.TypeFor[srapi.CreateTokenRequest](),
	"UserInfo":              reflect.TypeFor[srapi.User](),
	"PutUserRequest":        reflect.TypeFor[srapi.PutUserRequest](),
	"Consumer":              reflect.TypeFor[srapi.Consumer](),
	"ConsumerRead":          reflect.TypeFor[srapi.ConsumerRead](),
	"BackfillReport":        reflect.TypeFor[srapi.Backfill](),
	"Deprecation":           reflect.TypeFor[srapi.Deprecation](),
	"DeprecationReport":     reflect.TypeFor[srapi.DeprecationReport](),
}

// outsideContract are the object schemas that describe no registry body:
// the health probes' answer belongs to the operational endpoints.
var outsideContract = map[string]bool{"HealthStatus": true, "Empty": true}

func TestComponentsMatchTheContract(t *testing.T) {
	t.Parallel()
	schemas := openapi.Schemas()
	for name, s := range schemas {
		s := s.(map[string]any)
		if s["type"] != "object" || outsideContract[name] {
			continue
		}
		if _, ok := contract[name]; !ok {
			t.Errorf("component %s describes no srapi type: add it to contract (or outsideContract)", name)
		}
	}
	for name, typ := range contract {
		s, ok := schemas[name].(map[string]any)
		if !ok {
			t.Errorf("srapi.%s has no component schema %s", typ.Name(), name)
			continue
		}
		compareObject(t, name, s, typ)
	}
}

// compareObject checks that the properties of schema s are exactly the
// JSON fields of typ, that a required property is one typ always renders
// (no omitempty), and recurses into inline objects.
func compareObject(t *testing.T, where string, s map[string]any, typ reflect.Type) {
	t.Helper()
	props, _ := s["properties"].(map[string]any)
	fields := jsonFields(typ)
	for _, name := range sortedKeys(fields) {
		if _, ok := props[name]; !ok {
			t.Errorf("%s: field %q of srapi.%s is not documented", where, name, typ.Name())
		}
	}
	for _, name := range sortedKeys(props) {
		f, ok := fields[name]
		if !ok {
			t.Errorf("%s: documented property %q is not a field of srapi.%s", where, name, typ.Name())
			continue
		}
		if p, ok := props[name].(map[string]any); ok {
			compareNested(t, where+"."+name, p, f.typ)
		}
	}
	required, _ := s["required"].([]string)
	for _, name := range required {
		if f, ok := fields[name]; ok && f.omitempty {
			t.Errorf("%s: %q is documented as required but srapi.%s omits it when empty", where, name, typ.Name())
		}
	}
}

// compareNested compares an inline object, or an array of them, with the
// Go type of the field; references are checked as components.
func compareNested(t *testing.T, where string, p map[string]any, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch {
	case p["type"] == "object" && p["properties"] != nil && typ.Kind() == reflect.Struct:
		compareObject(t, where, p, typ)
	case p["type"] == "array" && (typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array):
		if items, ok := p["items"].(map[string]any); ok {
			compareNested(t, where+"[]", items, typ.Elem())
		}
	case p["type"] == "object" && p["properties"] != nil:
		t.Errorf("%s: documented as an object, but its Go type is %s", where, typ)
	}
}

// field is one JSON member of a Go type.
type field struct {
	typ       reflect.Type
	omitempty bool
}

// jsonFields lists the members encoding/json renders for typ, following
// embedded structs as it does.
func jsonFields(typ reflect.Type) map[string]field {
	out := map[string]field{}
	for i := range typ.NumField() {
		sf := typ.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(sf.Type) {
				if _, shadowed := out[k]; !shadowed {
					out[k] = v
				}
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out[name] = field{typ: sf.Type, omitempty: strings.Contains(","+opts+",", ",omitempty,")}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
