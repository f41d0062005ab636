package registry

import (
	"context"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// RenderSchema returns the schema with the given id of schemaContext and
// its text in form,
// one of the values of the Confluent API's format parameter: "" and
// "default" are the stored text; Avro "resolved" is the text with the
// named types of its references written out where first used (the stored
// text itself when it has none); Protobuf "serialized" is the base64-encoded FileDescriptorProto. Any
// other form is srapi.CodeBadRequest.
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
	p, err := s.parsedSchema(ctx, s.store, sch)
	if err != nil {
		return nil, "", err
	}
	if r, ok := p.(schema.Renderer); ok {
		if text, ok := r.Render(form); ok {
			return sch, text, nil
		}
	}
	return nil, "", Errorf(srapi.CodeBadRequest, "Unsupported format %q for this %s schema", form, sch.Format)
}
