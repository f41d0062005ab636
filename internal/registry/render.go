package registry

import (
	"context"
	"fmt"

	"github.com/schemata-dev/schemata/schema"
)

// RenderSchema returns the schema with the given id of schemaContext and
// its text in form,
// one of the values of the Confluent API's format parameter: "" and
// "default" are the stored text; Avro "resolved" is the text with the
// named types of its references written out where first used (the stored
// text itself when it has none); Protobuf "serialized" is the
// base64-encoded FileDescriptorProto and "ignore_extensions" the schema
// without extend blocks and custom options. Any other form, or one the
// schema's format does not have (JSON Schema has none), is the stored
// text, as Confluent answers it so that clients asking for a form added
// later keep working.
func (s *Service) RenderSchema(ctx context.Context, schemaContext string, id int, form string) (*Schema, string, error) {
	sch, err := s.SchemaByID(ctx, schemaContext, id)
	if err != nil {
		return nil, "", err
	}
	switch {
	case form == "" || form == "default":
		return sch, sch.Text, nil
	case form == "resolved" && sch.Format == schema.Avro && len(sch.References) == 0:
		return sch, sch.Text, nil
	}
	// Other forms are rendered from the parsed schema, its references
	// resolved: the caller must be allowed to read all of them.
	if err := s.graphReadable(ctx, sch.Context, sch.References, fmt.Sprintf("schema %d", sch.ID)); err != nil {
		return nil, "", err
	}
	p, err := s.parsedSchema(ctx, s.store, sch)
	if err != nil {
		return nil, "", err
	}
	if r, ok := p.(schema.Renderer); ok {
		if text, ok := r.Render(form); ok {
			return sch, text, nil
		}
	}
	return sch, sch.Text, nil
}
