package registry

import (
	"strings"

	"github.com/schemata-dev/schemata/srapi"
)

// Schema contexts (Confluent's): independent groups of subjects and schema
// ids inside one registry. A subject names its context by a prefix,
// ":.ctx:name"; a subject without one lives in the default context ".".
// Everything below the API treats subjects as opaque strings; this file is
// the one place that reads the prefix.

// DefaultContext is the context of unqualified subjects.
const DefaultContext = srapi.DefaultContext

// AllContexts is the subject prefix that lists every context's subjects
// (Confluent's ":*:").
const AllContexts = srapi.AllContexts

// maxContextLength bounds a context name, dot included.
const maxContextLength = 256

// SplitSubject returns the context and the unqualified name of subject
// (srapi.SplitSubject). It does not validate: see CanonicalSubject.
func SplitSubject(subject string) (schemaContext, name string) { return srapi.SplitSubject(subject) }

// ContextOf returns the context of subject.
func ContextOf(subject string) string { return srapi.ContextOf(subject) }

// QualifySubject names subject in schemaContext (srapi.QualifySubject).
func QualifySubject(schemaContext, subject string) string {
	return srapi.QualifySubject(schemaContext, subject)
}

// ContextPrefix is the subject prefix shared by every subject of
// schemaContext: "" for the default context.
func ContextPrefix(schemaContext string) string { return srapi.ContextPrefix(schemaContext) }

// ValidateContext reports, as a 42208 *Error, a name that cannot be a
// context: a dot followed by up to 255 letters, digits, dots, dashes or
// underscores.
func ValidateContext(name string) error {
	if !strings.HasPrefix(name, ".") || len(name) > maxContextLength {
		return Errorf(srapi.CodeInvalidSubject, "Invalid context %q: a context is a dot followed by up to %d letters, digits, '.', '-' or '_'", name, maxContextLength-1)
	}
	for i := 1; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
		default:
			return Errorf(srapi.CodeInvalidSubject, "Invalid context %q: a context is a dot followed by up to %d letters, digits, '.', '-' or '_'", name, maxContextLength-1)
		}
	}
	return nil
}

// CanonicalSubject validates subject and returns the form it is stored
// under: ":.:name" is the default context's "name". A subject starting
// with ':' must be qualified, ":<context>:<name>", with a valid context;
// the name may be empty only when allowContext (the context's own config
// and mode; ":.:" is then the default context's, GlobalSubject). Errors
// are 42208 *Error values.
func CanonicalSubject(subject string, allowContext bool) (string, error) {
	if err := ValidateSubject(subject); err != nil {
		return "", err
	}
	if !strings.HasPrefix(subject, ":") {
		return subject, nil
	}
	if strings.IndexByte(subject[1:], ':') < 0 {
		return "", Errorf(srapi.CodeInvalidSubject, "Invalid subject %q: a subject starting with ':' is qualified, :.context:name", subject)
	}
	c, name := SplitSubject(subject)
	if err := ValidateContext(c); err != nil {
		return "", err
	}
	if name == "" && !allowContext {
		return "", Errorf(srapi.CodeInvalidSubject, "Invalid subject %q: the name after the context is empty", subject)
	}
	if strings.HasPrefix(name, ":") {
		return "", Errorf(srapi.CodeInvalidSubject, "Invalid subject %q: a subject names one context", subject)
	}
	if c == DefaultContext {
		return name, nil
	}
	return subject, nil
}

// IsContextSubject reports whether subject names a context itself,
// ":.ctx:", rather than a subject in it.
func IsContextSubject(subject string) bool {
	c, name := SplitSubject(subject)
	return name == "" && c != DefaultContext && strings.HasPrefix(subject, ":")
}

// ReferenceTarget is the subject a reference names from a schema of
// schemaContext (srapi.ReferenceTarget).
func ReferenceTarget(schemaContext, subject string) string {
	return srapi.ReferenceTarget(schemaContext, subject)
}
