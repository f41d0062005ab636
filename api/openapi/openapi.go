// Package openapi describes the registry's whole HTTP API (the Confluent
// Schema Registry endpoints, this registry's extensions, the operational
// endpoints and the auth admin API) as an OpenAPI 3 document, served at
// GET /openapi.json.
//
// The document is built from a table of operations (operations.go) and
// named schemas (schemas.go), written by hand for their descriptions. Two
// tests keep it true: one starts the real router and fails when a
// registered route is undocumented or a documented route does not exist;
// the other compares each component schema with the srapi type it
// describes and fails when a JSON field is missing on either side or a
// required property may be omitted.
//
// openapi depends on echo and the standard library only.
package openapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// Version is the OpenAPI version the document follows.
const Version = "3.0.3"

// Operation is one documented route.
type Operation struct {
	Method string
	// Path is the echo route template (/subjects/:subject); the document
	// uses OpenAPI's {subject} form.
	Path        string
	Tag         string
	Summary     string
	Description string
	Query       []Param
	// Request names a schema in components for the JSON body, "" for none.
	Request string
	// Response names the schema of the success answer; Status is its code
	// (200 when zero). A Response of "text" is a plain-text body; "" is an
	// empty body.
	Response string
	Status   int
	// Public operations need no credentials.
	Public bool
}

// Param is a query parameter.
type Param struct {
	Name, Type, Description string
}

var pathParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// openAPIPath turns /subjects/:subject into /subjects/{subject}.
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

// Document returns the OpenAPI document as a JSON-ready value.
func Document() map[string]any {
	paths := map[string]map[string]any{}
	for _, op := range Operations() {
		p := openAPIPath(op.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(op.Method)] = op.render()
	}
	return map[string]any{
		"openapi": Version,
		"info": map[string]any{
			"title":   "schemata schema registry",
			"version": "1",
			"description": "A schema registry that answers the Confluent Schema Registry REST API v1 " +
				"(so existing serializers and tools work unchanged) and adds evolution rules with stable " +
				"rule IDs, an additive-only policy, authentication and authorization. Errors are " +
				"{\"error_code\", \"message\"} bodies: 401/40101 unauthenticated, 403/40301 forbidden, " +
				"429/42901 rate limited, and Confluent's codes for the registry's own errors.",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"tags":    tags(),
		"paths":   paths,
		"components": map[string]any{
			"schemas": Schemas(),
			"securitySchemes": map[string]any{
				"basic":  map[string]any{"type": "http", "scheme": "basic"},
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "An API token (sch_...) made with POST /v1/auth/tokens."},
			},
			"responses": map[string]any{
				"Error": map[string]any{
					"description": "An error, in Confluent's shape.",
					"content":     jsonContent(ref("ErrorResponse")),
				},
			},
		},
		"security": []any{map[string]any{"basic": []any{}}, map[string]any{"bearer": []any{}}},
	}
}

func tags() []any {
	names := map[string]bool{}
	for _, op := range Operations() {
		names[op.Tag] = true
	}
	var out []string
	for n := range names {
		out = append(out, n)
	}
	sort.Strings(out)
	res := make([]any, len(out))
	for i, n := range out {
		res[i] = map[string]any{"name": n}
	}
	return res
}

func ref(name string) map[string]any {
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

func jsonContent(schema map[string]any) map[string]any {
	return map[string]any{
		"application/vnd.schemaregistry.v1+json": map[string]any{"schema": schema},
		"application/json":                       map[string]any{"schema": schema},
	}
}

func (op Operation) render() map[string]any {
	var params []any
	for _, name := range pathParam.FindAllStringSubmatch(op.Path, -1) {
		params = append(params, map[string]any{
			"name": name[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "string"},
		})
	}
	for _, q := range op.Query {
		params = append(params, map[string]any{
			"name": q.Name, "in": "query", "description": q.Description,
			"schema": map[string]any{"type": q.Type},
		})
	}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	success := map[string]any{"description": http.StatusText(status)}
	switch op.Response {
	case "":
	case "text":
		success["content"] = map[string]any{"text/plain": map[string]any{"schema": map[string]any{"type": "string"}}}
	default:
		success["content"] = jsonContent(ref(op.Response))
	}
	out := map[string]any{
		"operationId": operationID(op),
		"tags":        []any{op.Tag},
		"summary":     op.Summary,
		"responses": map[string]any{
			strconv.Itoa(status): success,
			"default":            map[string]any{"$ref": "#/components/responses/Error"},
		},
	}
	if op.Description != "" {
		out["description"] = op.Description
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	if op.Request != "" {
		out["requestBody"] = map[string]any{"required": true, "content": jsonContent(ref(op.Request))}
	}
	if op.Public {
		out["security"] = []any{}
	}
	return out
}

// operationID derives a unique id: the method and the path's words.
func operationID(op Operation) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(op.Method))
	for _, part := range strings.FieldsFunc(op.Path, func(r rune) bool { return r == '/' || r == '.' }) {
		part = strings.TrimPrefix(part, ":")
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	if op.Path == "/" {
		b.WriteString("Root")
	}
	return b.String()
}

var encoded = sync.OnceValues(func() ([]byte, error) {
	return json.MarshalIndent(Document(), "", "  ")
})

// JSON returns the document encoded as indented JSON.
func JSON() ([]byte, error) { return encoded() }

// Routes mounts GET /openapi.json on e.
func Routes(e *echo.Echo) {
	e.GET("/openapi.json", serve)
}

// serve answers GET /openapi.json with the document.
func serve(c echo.Context) error {
	b, err := JSON()
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.JSONBlob(http.StatusOK, b)
}
