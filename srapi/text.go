package srapi

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxTextDepth bounds the walk of UnencodableField; request bodies are
// decoded into the contract's types, which nest a few levels only.
const maxTextDepth = 32

// UnencodableField returns the JSON-ish path (e.g. reads[0].owner) of the
// first string in v, a decoded request body, that holds a NUL byte or
// invalid UTF-8, and "" when there is none. No stored text may hold
// either: PostgreSQL cannot store a NUL in text at all, so a request
// carrying one is refused before it reaches a store, with the same
// answer on every backend.
func UnencodableField(v any) string {
	return unencodable(reflect.ValueOf(v), "", 0)
}

func unencodable(v reflect.Value, path string, depth int) string {
	if depth > maxTextDepth || !v.IsValid() {
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		if !Encodable(v.String()) {
			return strings.TrimPrefix(path, ".")
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return unencodable(v.Elem(), path, depth+1)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			fpath := path + "." + name
			switch {
			case name == "" && f.Anonymous:
				// An embedded struct's fields are the body's own, as
				// encoding/json reads them.
				fpath = path
			case name == "":
				fpath = path + "." + f.Name
			}
			if p := unencodable(v.Field(i), fpath, depth+1); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			// Bytes (json.RawMessage) are decoded into typed values
			// later, and checked then.
			return ""
		}
		for i := range v.Len() {
			if p := unencodable(v.Index(i), path+"["+strconv.Itoa(i)+"]", depth+1); p != "" {
				return p
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if k := it.Key(); k.Kind() == reflect.String && !Encodable(k.String()) {
				return strings.TrimPrefix(path, ".") + " (a key)"
			}
			if p := unencodable(it.Value(), path+"."+it.Key().String(), depth+1); p != "" {
				return p
			}
		}
	}
	return ""
}

// Encodable reports whether s is UTF-8 without a NUL byte: text every
// store can hold.
func Encodable(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}
