package authhttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/auth"
	"github.com/schemata-dev/schemata/internal/ops/audit"
	"github.com/schemata-dev/schemata/srapi"
)

// Admin serves the token and user management API. Mount it with Routes;
// its requirements are AdminRules (tokens and users need a global admin).
type Admin struct {
	authn *auth.Authenticator
	log   *slog.Logger
}

// NewAdmin returns the admin API over authn.
func NewAdmin(authn *auth.Authenticator, log *slog.Logger) *Admin {
	if log == nil {
		log = slog.Default()
	}
	return &Admin{authn: authn, log: log}
}

// Routes mounts the admin API on e.
func (a *Admin) Routes(e *echo.Echo) {
	e.GET("/v1/auth/whoami", a.whoami)
	e.GET("/v1/auth/tokens", a.listTokens)
	e.POST("/v1/auth/tokens", a.createToken)
	e.DELETE("/v1/auth/tokens/:id", a.revokeToken)
	e.GET("/v1/auth/users", a.listUsers)
	e.PUT("/v1/auth/users/:name", a.putUser)
	e.DELETE("/v1/auth/users/:name", a.deleteUser)
}

// whoami serves GET /v1/auth/whoami: the caller's identity and grants.
func (a *Admin) whoami(c echo.Context) error {
	p, ok := auth.FromContext(c.Request().Context())
	if !ok {
		return writeError(c, http.StatusUnauthorized, srapi.CodeUnauthenticated, "Unauthorized")
	}
	return c.JSON(http.StatusOK, srapi.Whoami{Name: p.Name, Method: string(p.Method), TokenID: p.TokenID, Grants: grantStrings(p.Grants)})
}

// tokenPageLimit is the default and largest page of GET /v1/auth/tokens.
const tokenPageLimit = 1000

// listTokens serves GET /v1/auth/tokens: the tokens, revoked ones
// included, oldest first, without secrets, a page at a time (offset, and
// limit: at most and by default tokenPageLimit).
func (a *Admin) listTokens(c echo.Context) error {
	offset, limit, err := tokenPage(c)
	if err != nil {
		return writeError(c, http.StatusBadRequest, srapi.CodeBadRequest, err.Error())
	}
	ts, err := a.authn.Tokens(c.Request().Context(), offset, limit)
	if err != nil {
		return a.internal(c, err)
	}
	out := make([]srapi.Token, len(ts))
	for i := range ts {
		out[i] = tokenInfo(&ts[i])
	}
	return c.JSON(http.StatusOK, out)
}

// createToken serves POST /v1/auth/tokens with a srapi.CreateTokenRequest.
// The answer (201, a srapi.Token) is the only place the secret ever
// appears.
func (a *Admin) createToken(c echo.Context) error {
	var req srapi.CreateTokenRequest
	grants, refused, err := decodeGranting(c, &req, &req.Grants)
	if refused {
		return err
	}
	var ttl time.Duration
	if req.TTL != "" {
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 {
			return unprocessable(c, fmt.Sprintf("Invalid ttl %q: use a positive duration such as 720h", req.TTL))
		}
		ttl = d
	}
	if req.Name == "" || len(grants) == 0 {
		return unprocessable(c, "A token needs a name and at least one grant")
	}
	var by string
	if p, ok := auth.FromContext(c.Request().Context()); ok {
		by = p.Name
	}
	secret, t, err := a.authn.CreateToken(c.Request().Context(), auth.TokenParams{Name: req.Name, Grants: grants, TTL: ttl, CreatedBy: by})
	if err != nil {
		return a.internal(c, err)
	}
	audit.Annotate(c.Request().Context(), func(r *audit.Record) { r.Target = t.ID })
	info := tokenInfo(t)
	info.Token = secret
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, info)
}

// revokeToken serves DELETE /v1/auth/tokens/{id}: 204, or 404 when there
// is no such token.
func (a *Admin) revokeToken(c echo.Context) error {
	err := a.authn.RevokeToken(c.Request().Context(), c.Param("id"))
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return writeError(c, http.StatusNotFound, srapi.Code(http.StatusNotFound), "Token not found")
	case err != nil:
		return a.internal(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}

// listUsers serves GET /v1/auth/users: configured and database users.
func (a *Admin) listUsers(c echo.Context) error {
	us, err := a.authn.Users(c.Request().Context())
	if err != nil {
		return a.internal(c, err)
	}
	out := make([]srapi.User, len(us))
	for i, u := range us {
		out[i] = userInfo(u)
	}
	return c.JSON(http.StatusOK, out)
}

// putUser serves PUT /v1/auth/users/{name} with a srapi.PutUserRequest:
// it creates or replaces a database user (409 for a configured user) and
// answers the srapi.User.
func (a *Admin) putUser(c echo.Context) error {
	var req srapi.PutUserRequest
	grants, refused, err := decodeGranting(c, &req, &req.Grants)
	if refused {
		return err
	}
	if req.Password == "" || len(grants) == 0 {
		return unprocessable(c, "A user needs a password and at least one grant")
	}
	u, err := a.authn.SetUser(c.Request().Context(), c.Param("name"), req.Password, grants)
	switch {
	case errors.Is(err, auth.ErrConfiguredUser):
		return writeError(c, http.StatusConflict, srapi.Code(http.StatusConflict), msgConfiguredUser)
	case err != nil:
		return a.internal(c, err)
	}
	return c.JSON(http.StatusOK, userInfo(*u))
}

// deleteUser serves DELETE /v1/auth/users/{name}: 204, 404 when there is
// no such database user, 409 for a configured one.
func (a *Admin) deleteUser(c echo.Context) error {
	err := a.authn.DeleteUser(c.Request().Context(), c.Param("name"))
	switch {
	case errors.Is(err, auth.ErrConfiguredUser):
		return writeError(c, http.StatusConflict, srapi.Code(http.StatusConflict), msgConfiguredUser)
	case errors.Is(err, auth.ErrNotFound):
		return writeError(c, http.StatusNotFound, srapi.Code(http.StatusNotFound), "User not found")
	case err != nil:
		return a.internal(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}

// msgConfiguredUser refuses to change or delete a user of the
// configuration file, which only an edit of the file can.
const msgConfiguredUser = "User is defined in the configuration file"

// unprocessable answers 422: a body the API cannot read or act on.
func unprocessable(c echo.Context, msg string) error {
	return writeError(c, http.StatusUnprocessableEntity, srapi.CodeUnprocessable, msg)
}

// internal logs err and answers with the generic store error.
func (a *Admin) internal(c echo.Context, err error) error {
	a.log.ErrorContext(c.Request().Context(), "auth admin request failed",
		"method", c.Request().Method, "route", c.Path(), "err", err)
	return writeError(c, http.StatusInternalServerError, srapi.CodeStoreError, srapi.StoreErrorMessage)
}

// decode reads a JSON body strictly. When the body is refused (a media
// type other than the API's, or not the expected JSON) it answers the
// client and reports refused, with the error to return.
func decode(c echo.Context, v any) (refused bool, err error) {
	if !srapi.IsRequestMediaType(c.Request().Header.Get(echo.HeaderContentType)) {
		return true, writeError(c, http.StatusUnsupportedMediaType, http.StatusUnsupportedMediaType, srapi.UnsupportedMediaType)
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := fmt.Sprintf("Malformed JSON request body: %v", err)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			msg = fmt.Sprintf("Request body is larger than the limit of %d bytes", mbe.Limit)
		}
		return true, unprocessable(c, msg)
	}
	if f := srapi.UnencodableField(v); f != "" {
		return true, writeError(c, http.StatusUnprocessableEntity, srapi.CodeUnprocessable,
			fmt.Sprintf("The field %s of the request body holds a NUL byte or invalid UTF-8", f))
	}
	return false, nil
}

// tokenInfo renders a token without its secret.
func tokenInfo(t *auth.Token) srapi.Token {
	info := srapi.Token{ID: t.ID, Name: t.Name, Grants: grantStrings(t.Grants), CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt}
	if !t.ExpiresAt.IsZero() {
		info.ExpiresAt = &t.ExpiresAt
	}
	if !t.RevokedAt.IsZero() {
		info.RevokedAt = &t.RevokedAt
	}
	return info
}

// userInfo renders a user without its password hash.
func userInfo(u auth.User) srapi.User {
	info := srapi.User{Name: u.Name, Grants: grantStrings(u.Grants), Source: "config"}
	if !u.CreatedAt.IsZero() {
		info.Source = "database"
		info.CreatedAt, info.UpdatedAt = &u.CreatedAt, &u.UpdatedAt
	}
	return info
}

// grantStrings renders grants in their text form; none is [], not null.
func grantStrings(gs []auth.Grant) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.String()
	}
	return out
}

// decodeGranting decodes a request that grants roles, as decode does,
// into v, then parses the grants it names: names points to them in v.
// When the request is refused, the client has been answered and err is
// the error to return.
func decodeGranting(c echo.Context, v any, names *[]string) (grants []auth.Grant, refused bool, err error) {
	if refused, err := decode(c, v); refused {
		return nil, true, err
	}
	grants, err = auth.ParseGrants(*names)
	if err != nil {
		return nil, true, unprocessable(c, fmt.Sprintf("Malformed JSON request body: %v", err))
	}
	return grants, false, nil
}

// tokenPage reads the offset and limit of a token listing: a negative
// offset or a value that is not an integer is refused; no limit, or one
// above tokenPageLimit, is tokenPageLimit.
func tokenPage(c echo.Context) (offset, limit int, err error) {
	read := func(name string) (int, error) {
		s := c.QueryParam(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("Query parameter %s must be an integer, got %q", name, s)
		}
		return n, nil
	}
	if offset, err = read("offset"); err != nil {
		return 0, 0, err
	}
	if offset < 0 {
		return 0, 0, fmt.Errorf("Query parameter offset must not be negative, got %d", offset)
	}
	if limit, err = read("limit"); err != nil {
		return 0, 0, err
	}
	if limit <= 0 || limit > tokenPageLimit {
		limit = tokenPageLimit
	}
	return offset, limit, nil
}
