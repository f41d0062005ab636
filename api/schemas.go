package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/srapi"
)

// schemaInput converts a schema-carrying request body into the domain's
// schema input. Unknown schema types are rejected with 42201.
func schemaInput(r *srapi.RegisterRequest, normalize bool) (registry.SchemaInput, error) {
	f, err := schema.ParseFormat(r.SchemaType)
	if err != nil {
		return registry.SchemaInput{}, registry.Errorf(srapi.CodeInvalidSchema,
			"Invalid schemaType %q: supported schema types are AVRO, PROTOBUF and JSON", r.SchemaType)
	}
	in := registry.SchemaInput{
		Format:    f,
		Text:      r.Schema,
		Normalize: normalize,
	}
	if in.Metadata, err = rawContract(r.Metadata); err != nil {
		return in, err
	}
	if in.RuleSet, err = rawContract(r.RuleSet); err != nil {
		return in, err
	}
	in.References = domainReferences(r.References)
	return in, nil
}

// domainReferences converts references from the wire.
func domainReferences(refs []srapi.Reference) []schema.Reference {
	var out []schema.Reference
	for _, ref := range refs {
		out = append(out, schema.Reference{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
	}
	return out
}

// wireReferences converts references to the wire; none is nil, which
// omitempty leaves out.
func wireReferences(refs []schema.Reference) []srapi.Reference {
	var out []srapi.Reference
	for _, ref := range refs {
		out = append(out, srapi.Reference{Name: ref.Name, Subject: ref.Subject, Version: ref.Version})
	}
	return out
}

// wireSchema renders a stored schema. schemaType is always present,
// "AVRO" included, as Confluent 8 answers; every client treats "AVRO"
// and an absent type alike.
func wireSchema(s *registry.Schema) srapi.Schema {
	return srapi.Schema{
		SchemaType: string(s.Format),
		Schema:     s.Text,
		References: wireReferences(s.References),
		Metadata:   wireContract[srapi.Metadata](s.Metadata),
		RuleSet:    wireContract[srapi.RuleSet](s.RuleSet),
	}
}

// wireSubjectVersion renders a subject version with its schema.
func wireSubjectVersion(v *registry.SubjectVersion) srapi.SubjectVersion {
	out := srapi.SubjectVersion{Subject: v.Subject, Version: v.Version, ID: v.SchemaID}
	if v.Schema != nil {
		out.Schema = wireSchema(v.Schema)
	}
	return out
}

// getSchemaByID serves GET /schemas/ids/{id}, the runtime lookup path of
// every deserializer. Query parameters: subject (ids are unique per
// context: the id is looked up in the subject's context, the default one
// without it; see idContext) and format ("default"; Avro "resolved";
// Protobuf "serialized", rendered on demand, outside the cache) and
// fetchMaxId (add maxId, the highest id assigned, as Confluent does).
// The encoded body is cached per id and served with a strong ETag and an
// immutable Cache-Control, honouring If-None-Match.
func (a *API) getSchemaByID(c echo.Context, id int) error {
	sc, err := idContext(c)
	if err != nil {
		return err
	}
	form := c.QueryParam("format")
	if rendered := form != "" && form != "default"; rendered || queryBool(c, "fetchMaxId") {
		ctx := c.Request().Context()
		s, err := a.svc.SchemaByID(ctx, sc, id)
		if err != nil {
			return err
		}
		body := srapi.SchemaByID{Schema: wireSchema(s)}
		if rendered {
			if _, body.Schema.Schema, err = a.svc.RenderSchema(ctx, sc, id, form); err != nil {
				return err
			}
		}
		if queryBool(c, "fetchMaxId") {
			// Read after the schema, so maxId is never below its id.
			if body.MaxID, err = a.svc.MaxSchemaID(ctx, sc); err != nil {
				return err
			}
		}
		return a.ok(c, body)
	}
	e, err := a.schemaEntry(c, sc, id, false)
	if err != nil {
		return err
	}
	defer e.release()
	return writeEntry(c, e, hdrImmutable)
}

// schemaEntry returns the cached encoding of schema id of schemaContext,
// fetching the schema on a miss. A hit asks the Service only whether the
// caller may read the id (which costs nothing for callers who may read
// everything), unless the caller was just allowed a version using it:
// known. The caller releases the entry.
func (a *API) schemaEntry(c echo.Context, schemaContext string, id int, known bool) (cachedSchema, error) {
	ctx := c.Request().Context()
	epoch := a.svc.SchemaEpoch()
	if e, ok := a.cache.current(schemaContext, id, epoch); ok {
		if !known {
			if err := a.svc.SchemaReadable(ctx, schemaContext, id); err != nil {
				e.release()
				return cachedSchema{}, err
			}
		}
		return e, nil
	}
	s, err := a.svc.SchemaByID(ctx, schemaContext, id)
	if err != nil {
		return cachedSchema{}, err
	}
	return a.cache.put(s, epoch)
}

// getSchemaTextByID serves GET /schemas/ids/{id}/schema: the schema text
// alone, unquoted. Query parameters: subject and format, as for
// getSchemaByID.
func (a *API) getSchemaTextByID(c echo.Context, id int) error {
	sc, err := idContext(c)
	if err != nil {
		return err
	}
	if form := c.QueryParam("format"); form != "" && form != "default" {
		_, text, err := a.svc.RenderSchema(c.Request().Context(), sc, id, form)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, ContentType, []byte(text))
	}
	s, err := a.svc.SchemaByID(c.Request().Context(), sc, id)
	if err != nil {
		return err
	}
	etag, length := textHeaders(s.Text)
	return writeCached(c, etag, length, hdrImmutable, []byte(s.Text))
}

// getSubjectsByID serves GET /schemas/ids/{id}/subjects: the subjects
// with a version using the schema. Query parameters: deleted (include
// soft-deleted versions), subject (the context to look the id up in, see
// idContext), offset, limit.
func (a *API) getSubjectsByID(c echo.Context, id int) error {
	sc, err := idContext(c)
	if err != nil {
		return err
	}
	vs, err := a.svc.SchemaVersions(c.Request().Context(), sc, id, queryBool(c, "deleted"))
	if err != nil {
		return err
	}
	subjects := make([]string, 0, len(vs))
	for _, v := range vs {
		subjects = append(subjects, v.Subject)
	}
	slices.Sort(subjects)
	page, err := pageOf(c, slices.Compact(subjects))
	if err != nil {
		return err
	}
	return a.ok(c, page)
}

// getVersionsByID serves GET /schemas/ids/{id}/versions: the
// subject/version pairs using the schema. Query parameters: deleted,
// subject (the context, as for getSubjectsByID), offset, limit.
func (a *API) getVersionsByID(c echo.Context, id int) error {
	sc, err := idContext(c)
	if err != nil {
		return err
	}
	vs, err := a.svc.SchemaVersions(c.Request().Context(), sc, id, queryBool(c, "deleted"))
	if err != nil {
		return err
	}
	if vs, err = pageOf(c, vs); err != nil {
		return err
	}
	out := make([]srapi.SubjectVersionRef, len(vs))
	for i, v := range vs {
		out[i] = srapi.SubjectVersionRef{Subject: v.Subject, Version: v.Version}
	}
	return a.ok(c, out)
}

// listSchemas serves GET /schemas: subject versions with their schemas.
// Query parameters: subjectPrefix, deleted, latestOnly, offset, limit (at
// most, and by default, the schema search limit).
func (a *API) listSchemas(c echo.Context) error {
	offset, limit, err := cappedPageParams(c, a.schemaLimit)
	if err != nil {
		return err
	}
	vs, err := a.svc.Schemas(c.Request().Context(), registry.SchemaListParams{
		SubjectPrefix:  listingPrefix(c, c.QueryParam("subjectPrefix")),
		IncludeDeleted: queryBool(c, "deleted"),
		LatestOnly:     queryBool(c, "latestOnly"),
		Offset:         offset,
		Limit:          limit,
	})
	if err != nil {
		return err
	}
	return a.ok(c, wireAll(vs, wireSubjectVersion))
}

// supportedTypes are the schema types this registry accepts, in
// Confluent's order.
var supportedTypes = []string{string(schema.JSON), string(schema.Protobuf), string(schema.Avro)}

// getSchemaTypes serves GET /schemas/types.
func (a *API) getSchemaTypes(c echo.Context) error {
	return a.ok(c, supportedTypes)
}
