package jsonschema

import (
	"net/url"
	"strconv"
	"strings"
)

// EscapeToken escapes one reference token of a JSON Pointer (RFC 6901).
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func unescapeToken(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

// lookupPointer follows JSON Pointer ptr from root; nil when it leads
// nowhere.
func lookupPointer(root *Value, ptr string) *Value {
	if root == nil {
		return nil
	}
	if ptr == "" {
		return root
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	v := root
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescapeToken(tok)
		switch v.Kind() {
		case Object:
			v = v.Get(tok)
		case Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v.elems) || (len(tok) > 1 && tok[0] == '0') {
				return nil
			}
			v = v.elems[i]
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// resolveURI resolves ref against base as RFC 3986 says; an unparsable
// ref is returned unchanged.
func resolveURI(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// splitFragment splits a URI at '#'.
func splitFragment(u string) (string, string) {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i], u[i+1:]
	}
	return u, ""
}
