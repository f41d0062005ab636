package srapi

import "strings"

// Schema contexts (Confluent's): a subject names its context by a prefix,
// ":.ctx:name"; a subject without one lives in the default context ".".
// These helpers read and write that prefix, for the server and its
// clients alike; the server validates names (registry.CanonicalSubject).

// DefaultContext is the context of unqualified subjects.
const DefaultContext = "."

// AllContexts is the subject prefix that lists every context's subjects
// (Confluent's ":*:").
const AllContexts = ":*:"

// SplitSubject returns the context and the unqualified name of subject.
// It does not validate: see CanonicalSubject.
func SplitSubject(subject string) (schemaContext, name string) {
	if !strings.HasPrefix(subject, ":") {
		return DefaultContext, subject
	}
	end := strings.IndexByte(subject[1:], ':')
	if end < 0 {
		return DefaultContext, subject
	}
	return subject[1 : end+1], subject[end+2:]
}

// ContextOf returns the context of subject.
func ContextOf(subject string) string {
	c, _ := SplitSubject(subject)
	return c
}

// QualifySubject names subject in schemaContext: an unqualified subject
// is placed in the context, a qualified one (which names its own) and the
// default context leave it as it is.
func QualifySubject(schemaContext, subject string) string {
	if schemaContext == DefaultContext || schemaContext == "" || strings.HasPrefix(subject, ":") {
		return subject
	}
	return ":" + schemaContext + ":" + subject
}

// ContextPrefix is the subject prefix shared by every subject of
// schemaContext: "" for the default context.
func ContextPrefix(schemaContext string) string {
	if schemaContext == DefaultContext {
		return ""
	}
	return ":" + schemaContext + ":"
}

// ReferenceTarget is the subject a reference names from a schema of
// schemaContext: an unqualified subject is one of that context, and
// ":.:name" is the default context's "name".
func ReferenceTarget(schemaContext, subject string) string {
	if strings.HasPrefix(subject, ":.:") {
		return subject[3:]
	}
	return QualifySubject(schemaContext, subject)
}
