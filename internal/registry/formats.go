package registry

import (
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/formats"
)

func parseText(f schema.Format, text string, deps []schema.Dependency) (schema.Schema, error) {
	if !formats.Supports(f) {
		return nil, Errorf(CodeInvalidSchema, "schema type %s is not supported; this registry accepts AVRO, PROTOBUF and JSON", f)
	}
	return wrapParseError(formats.Parse(f, text, deps))
}
