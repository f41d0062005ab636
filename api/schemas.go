package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
)

// referenceJSON is a schema reference on the wire.
type referenceJSON struct {
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// schemaJSON is a schema as GET /schemas/ids/{id} answers it; the other
// schema-bearing responses embed it. schemaType is omitted for Avro, as
// Confluent does.
type schemaJSON struct {
	SchemaType string          `json:"schemaType,omitempty"`
	Schema     string          `json:"schema"`
	References []referenceJSON `json:"references,omitempty"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
	RuleSet    json.RawMessage `json:"ruleSet,omitempty"`
}

// subjectVersionJSON is a subject version with its schema, as
// GET /subjects/{s}/versions/{v}, GET /schemas and POST /subjects/{s}
// answer it.
type subjectVersionJSON struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
	ID      int    `json:"id"`
	schemaJSON
}

// subjectVersionRef is a subject/version pair.
type subjectVersionRef struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// schemaRequest is the body of registration, lookup and compatibility
// requests. ID and Version are honoured by registration in IMPORT mode.
type schemaRequest struct {
	Schema     string          `json:"schema"`
	SchemaType string          `json:"schemaType"`
	References []referenceJSON `json:"references"`
	Metadata   json.RawMessage `json:"metadata"`
	RuleSet    json.RawMessage `json:"ruleSet"`
	ID         int             `json:"id"`
	Version    int             `json:"version"`
}

// input converts the request into the domain's schema input. Unknown
// schema types are rejected with 42201.
func (r *schemaRequest) input(normalize bool) (registry.SchemaInput, error) {
	f, err := schema.ParseFormat(r.SchemaType)
	if err != nil {
		return registry.SchemaInput{}, registry.Errorf(registry.CodeInvalidSchema,
			"Invalid schemaType %q: supported schema types are AVRO, PROTOBUF and JSON", r.SchemaType)
	}
	in := registry.SchemaInput{
		Format:    f,
		Text:      r.Schema,
		Metadata:  rawOrNil(r.Metadata),
		RuleSet:   rawOrNil(r.RuleSet),
		Normalize: normalize,
	}
	for _, ref := range r.References {
		in.References = append(in.References, schema.Reference{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
	}
	return in, nil
}

// rawOrNil drops an absent or null JSON value.
func rawOrNil(m json.RawMessage) json.RawMessage {
	t := bytes.TrimSpace(m)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil
	}
	return m
}

// newSchemaJSON renders a stored schema.
func newSchemaJSON(s *registry.Schema) schemaJSON {
	out := schemaJSON{
		Schema:   s.Text,
		Metadata: rawOrNil(s.Metadata),
		RuleSet:  rawOrNil(s.RuleSet),
	}
	if s.Format != schema.Avro {
		out.SchemaType = string(s.Format)
	}
	for _, ref := range s.References {
		out.References = append(out.References, referenceJSON{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
	}
	return out
}

// newSubjectVersionJSON renders a subject version with its schema.
func newSubjectVersionJSON(v *registry.SubjectVersion) subjectVersionJSON {
	out := subjectVersionJSON{Subject: v.Subject, Version: v.Version, ID: v.SchemaID}
	if v.Schema != nil {
		out.schemaJSON = newSchemaJSON(v.Schema)
	}
	return out
}

// getSchemaByID serves GET /schemas/ids/{id}, the runtime lookup path of
// every deserializer. Query parameters: subject (accepted; ids are global
// in the single default context) and format ("default"; Avro "resolved";
// Protobuf "serialized", rendered on demand, outside the cache).
// The encoded body is cached per id and served with a strong ETag and an
// immutable Cache-Control, honouring If-None-Match.
func (a *API) getSchemaByID(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if form := c.QueryParam("format"); form != "" && form != "default" {
		s, text, err := a.svc.RenderSchema(c.Request().Context(), id, form)
		if err != nil {
			return err
		}
		body := newSchemaJSON(s)
		body.Schema = text
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, ContentType, b)
	}
	s, err := a.svc.SchemaByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	e, err := a.cache.entry(s)
	if err != nil {
		return err
	}
	return writeCached(c, e.bodyETag, e.bodyLength, hdrImmutable, nil, e.body)
}

// getSchemaTextByID serves GET /schemas/ids/{id}/schema: the schema text
// alone, unquoted. Query parameters: subject and format, as for
// getSchemaByID.
func (a *API) getSchemaTextByID(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if form := c.QueryParam("format"); form != "" && form != "default" {
		_, text, err := a.svc.RenderSchema(c.Request().Context(), id, form)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, ContentType, []byte(text))
	}
	s, err := a.svc.SchemaByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	e, err := a.cache.entry(s)
	if err != nil {
		return err
	}
	return writeCached(c, e.textETag, e.textLength, hdrImmutable, nil, e.text)
}

// getSubjectsByID serves GET /schemas/ids/{id}/subjects: the subjects
// with a version using the schema. Query parameters: deleted (include
// soft-deleted versions), subject (accepted and ignored).
func (a *API) getSubjectsByID(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	vs, err := a.svc.SchemaVersions(c.Request().Context(), id, queryBool(c, "deleted"))
	if err != nil {
		return err
	}
	subjects := make([]string, 0, len(vs))
	for _, v := range vs {
		subjects = append(subjects, v.Subject)
	}
	slices.Sort(subjects)
	return a.ok(c, slices.Compact(subjects))
}

// getVersionsByID serves GET /schemas/ids/{id}/versions: the
// subject/version pairs using the schema. Query parameters: deleted,
// subject (accepted and ignored).
func (a *API) getVersionsByID(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	vs, err := a.svc.SchemaVersions(c.Request().Context(), id, queryBool(c, "deleted"))
	if err != nil {
		return err
	}
	out := make([]subjectVersionRef, len(vs))
	for i, v := range vs {
		out[i] = subjectVersionRef{Subject: v.Subject, Version: v.Version}
	}
	return a.ok(c, out)
}

// listSchemas serves GET /schemas: subject versions with their schemas.
// Query parameters: subjectPrefix, deleted, latestOnly, offset, limit.
func (a *API) listSchemas(c echo.Context) error {
	offset, limit, err := pageParams(c)
	if err != nil {
		return err
	}
	vs, err := a.svc.Schemas(c.Request().Context(), registry.SchemaListParams{
		SubjectPrefix:  c.QueryParam("subjectPrefix"),
		IncludeDeleted: queryBool(c, "deleted"),
		LatestOnly:     queryBool(c, "latestOnly"),
		Offset:         offset,
		Limit:          limit,
	})
	if err != nil {
		return err
	}
	out := make([]subjectVersionJSON, len(vs))
	for i := range vs {
		out[i] = newSubjectVersionJSON(&vs[i])
	}
	return a.ok(c, out)
}

// supportedTypes are the schema types this registry accepts, in
// Confluent's order.
var supportedTypes = []string{string(schema.JSON), string(schema.Protobuf), string(schema.Avro)}

// getSchemaTypes serves GET /schemas/types.
func (a *API) getSchemaTypes(c echo.Context) error {
	return a.ok(c, supportedTypes)
}
