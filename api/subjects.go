package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// orEmpty makes a nil slice render as [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// listSubjects serves GET /subjects. Query parameters: subjectPrefix,
// deleted (include subjects whose versions are all soft-deleted),
// deletedOnly, offset, limit. As Confluent's, subjectPrefix defaults to
// ":*:", every context; an empty subjectPrefix lists the default context.
func (a *API) listSubjects(c echo.Context) error {
	prefix := c.QueryParam("subjectPrefix")
	if _, given := c.QueryParams()["subjectPrefix"]; !given && urlContext(c) == registry.DefaultContext {
		prefix = registry.AllContexts
	}
	offset, limit, err := pageParams(c)
	if err != nil {
		return err
	}
	subjects, err := a.svc.Subjects(c.Request().Context(), registry.SubjectListParams{
		Prefix:         listingPrefix(c, prefix),
		IncludeDeleted: queryBool(c, "deleted"),
		DeletedOnly:    queryBool(c, "deletedOnly"),
		Offset:         offset,
		Limit:          limit,
	})
	if err != nil {
		return err
	}
	return a.ok(c, orEmpty(subjects))
}

// listVersions serves GET /subjects/{subject}/versions: the subject's
// version numbers. Query parameters: deleted, deletedOnly, offset, limit.
func (a *API) listVersions(c echo.Context, subject string) error {
	subject, err := a.resolveAlias(c, subject, registry.PermRead)
	if err != nil {
		return err
	}
	versions, err := a.svc.Versions(c.Request().Context(), registry.VersionsParams{
		Subject:        subject,
		IncludeDeleted: queryBool(c, "deleted"),
		DeletedOnly:    queryBool(c, "deletedOnly"),
	})
	if err != nil {
		return err
	}
	if versions, err = pageOf(c, versions); err != nil {
		return err
	}
	return a.ok(c, orEmpty(versions))
}

// registerSchema serves POST /subjects/{subject}/versions. The body is
// {"schema","schemaType","references","metadata","ruleSet","id","version"}
// (id and version only in IMPORT mode). Query parameter: normalize.
// Registering a schema the subject already holds returns its existing id
// and version; an incompatible schema is 409.
func (a *API) registerSchema(c echo.Context) error {
	subject, req, in, err := a.bindSchema(c, registry.PermWrite)
	if err != nil {
		return err
	}
	v, err := a.svc.Register(c.Request().Context(), registry.RegisterParams{
		Subject: subject,
		Schema:  in,
		ID:      req.ID,
		Version: req.Version,
	})
	if err != nil {
		return err
	}
	if v.Schema != nil {
		return a.ok(c, srapi.RegisterResponse{ID: v.SchemaID, Version: v.Version, Schema: wireSchema(v.Schema)})
	}
	// A remembered answer (an idempotent re-registration) comes without
	// its schema: the encoded one completes it. Registering in the
	// subject includes reading its versions.
	e, err := a.schemaEntry(c, registry.ContextOf(v.Subject), v.SchemaID, true)
	if err != nil {
		return err
	}
	defer e.release()
	return writeRegistered(c, v, e)
}

// lookupSchema serves POST /subjects/{subject}: is this schema registered
// under the subject, and as which version? Query parameters: normalize,
// deleted (also match soft-deleted versions).
func (a *API) lookupSchema(c echo.Context) error {
	subject, _, in, err := a.bindSchema(c, registry.PermRead)
	if err != nil {
		return err
	}
	v, err := a.svc.Lookup(c.Request().Context(), registry.LookupParams{
		Subject:        subject,
		Schema:         in,
		IncludeDeleted: queryBool(c, "deleted"),
	})
	if err != nil {
		return err
	}
	return a.ok(c, wireSubjectVersion(v))
}

// versionWithSchema fetches one subject version and the encoded form of
// its schema. The caller releases the entry.
func (a *API) versionWithSchema(c echo.Context) (*registry.SubjectVersion, cachedSchema, error) {
	v, epoch, err := a.version(c)
	if err != nil {
		return nil, cachedSchema{}, err
	}
	if e, ok := a.cache.current(registry.ContextOf(v.Subject), v.SchemaID, epoch); ok {
		return v, e, nil
	}
	s, err := a.versionSchema(c, v)
	if err != nil {
		return nil, cachedSchema{}, err
	}
	e, err := a.cache.put(s, epoch)
	if err != nil {
		return nil, cachedSchema{}, err
	}
	return v, e, nil
}

// version fetches the subject version the route names, and the
// Service's SchemaEpoch read before it (see responseCache).
func (a *API) version(c echo.Context) (*registry.SubjectVersion, uint64, error) {
	subject, version, err := subjectVersionParams(c)
	if err != nil {
		return nil, 0, err
	}
	if subject, err = a.resolveAlias(c, subject, registry.PermRead); err != nil {
		return nil, 0, err
	}
	epoch := a.svc.SchemaEpoch()
	v, err := a.svc.Version(c.Request().Context(), subject, version, queryBool(c, "deleted"))
	return v, epoch, err
}

// versionSchema returns v's schema, fetching it when the read did not
// join it.
func (a *API) versionSchema(c echo.Context, v *registry.SubjectVersion) (*registry.Schema, error) {
	if v.Schema != nil {
		return v.Schema, nil
	}
	return a.svc.SchemaByID(c.Request().Context(), registry.ContextOf(v.Subject), v.SchemaID)
}

// getVersion serves GET /subjects/{subject}/versions/{version}, where
// version is a number, "latest" or -1. Query parameters: deleted (also
// return a soft-deleted version), format (as for GET /schemas/ids/{id}). The response is assembled from the
// schema's cached encoding and carries a strong ETag; it is "no-cache"
// because a version number can be reused after a permanent delete.
func (a *API) getVersion(c echo.Context) error {
	v, e, err := a.versionWithSchema(c)
	if err != nil {
		return err
	}
	defer e.release()
	if form := c.QueryParam("format"); form != "" && form != "default" {
		// Another form of the schema, rendered on demand.
		s, text, err := a.svc.RenderSchema(c.Request().Context(), registry.ContextOf(v.Subject), v.SchemaID, form)
		if err != nil {
			return err
		}
		body := wireSubjectVersion(v)
		if v.Schema == nil {
			body.Schema = wireSchema(s)
		}
		body.Schema.Schema = text
		return a.ok(c, body)
	}
	return writeVersion(c, v, e, hdrNoCache)
}

// getVersionText serves GET /subjects/{subject}/versions/{version}/schema:
// the schema text alone. Query parameters: deleted, format (as for GET
// /schemas/ids/{id}).
func (a *API) getVersionText(c echo.Context) error {
	v, _, err := a.version(c)
	if err != nil {
		return err
	}
	if form := c.QueryParam("format"); form != "" && form != "default" {
		_, text, err := a.svc.RenderSchema(c.Request().Context(), registry.ContextOf(v.Subject), v.SchemaID, form)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, ContentType, []byte(text))
	}
	s, err := a.versionSchema(c, v)
	if err != nil {
		return err
	}
	etag, length := textHeaders(s.Text)
	return writeCached(c, etag, length, hdrNoCache, []byte(s.Text))
}

// getReferencedBy serves
// GET /subjects/{subject}/versions/{version}/referencedby: the ids of the
// schemas that reference this version.
func (a *API) getReferencedBy(c echo.Context) error {
	subject, version, err := subjectVersionParams(c)
	if err != nil {
		return err
	}
	if subject, err = a.resolveAlias(c, subject, registry.PermRead); err != nil {
		return err
	}
	ids, err := a.svc.ReferencedBy(c.Request().Context(), subject, version)
	if err != nil {
		return err
	}
	return a.ok(c, orEmpty(ids))
}

// deleteVersion serves DELETE /subjects/{subject}/versions/{version}:
// a soft delete, or with permanent=true the removal of a soft-deleted
// version. It answers the version number deleted.
func (a *API) deleteVersion(c echo.Context) error {
	subject, version, err := subjectVersionParams(c)
	if err != nil {
		return err
	}
	deleted, err := a.svc.DeleteVersion(c.Request().Context(), subject, version, queryBool(c, "permanent"))
	if err != nil {
		return err
	}
	return a.ok(c, deleted)
}

// deleteSubject serves DELETE /subjects/{subject}: a soft delete of every
// version, or with permanent=true the removal of a soft-deleted subject.
// It answers the version numbers deleted.
func (a *API) deleteSubject(c echo.Context, subject string) error {
	deleted, err := a.svc.DeleteSubject(c.Request().Context(), subject, queryBool(c, "permanent"))
	if err != nil {
		return err
	}
	return a.ok(c, orEmpty(deleted))
}
