package jsonschema

import "strings"

// Draft is a JSON Schema specification version.
type Draft int

// The drafts the registry reads. A schema without "$schema" is read as
// Draft7, as the Confluent registry does.
const (
	Draft4 Draft = 4
	Draft6 Draft = 6
	Draft7 Draft = 7
	// Draft2019 is draft 2019-09.
	Draft2019 Draft = 2019
	// Draft2020 is draft 2020-12.
	Draft2020 Draft = 2020
)

// DefaultDraft is the draft of a schema without "$schema".
const DefaultDraft = Draft7

func (d Draft) String() string {
	switch d {
	case Draft4:
		return "draft-04"
	case Draft6:
		return "draft-06"
	case Draft7:
		return "draft-07"
	case Draft2019:
		return "2019-09"
	case Draft2020:
		return "2020-12"
	}
	return "unknown draft"
}

// AtLeast2019 reports whether d is 2019-09 or later, where "$ref" applies
// alongside its sibling keywords and "$defs", "dependentRequired" and
// "dependentSchemas" exist.
func (d Draft) AtLeast2019() bool { return d >= Draft2019 }

// draftOf maps a "$schema" URI to its draft: http or https, with or without
// an empty fragment.
func draftOf(uri string) (Draft, bool) {
	u := strings.TrimSuffix(uri, "#")
	if rest, ok := strings.CutPrefix(u, "http://"); ok {
		u = rest
	} else if rest, ok := strings.CutPrefix(u, "https://"); ok {
		u = rest
	} else {
		return 0, false
	}
	switch u {
	case "json-schema.org/draft-04/schema":
		return Draft4, true
	case "json-schema.org/draft-06/schema":
		return Draft6, true
	case "json-schema.org/draft-07/schema":
		return Draft7, true
	case "json-schema.org/draft/2019-09/schema":
		return Draft2019, true
	case "json-schema.org/draft/2020-12/schema":
		return Draft2020, true
	}
	return 0, false
}
