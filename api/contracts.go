package api

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/schemata-dev/schemata/internal/registry"
	"github.com/schemata-dev/schemata/srapi"
)

// No request field is dropped silently: the schema-carrying bodies and the
// config bodies are decoded strictly, so a field the registry does not
// know (a misspelling, or a Confluent field it does not implement) is
// refused with a message naming it, and nothing is stored.

// decodeStrict is decodeBody refusing unknown fields (at any depth) with
// code. It returns the body too, so that a handler can tell a field sent
// as null from one left out (nullFields).
func (a *API) decodeStrict(c echo.Context, v any, code srapi.Code) ([]byte, error) {
	body, err := a.readJSON(c, v, true)
	var unknown *unknownFieldError
	if errors.As(err, &unknown) {
		return nil, registry.Errorf(code, "%s", unknown.Error())
	}
	return body, err
}

// registerBody is a schema-carrying body: srapi.RegisterRequest plus the
// Confluent fields the registry refuses rather than ignores.
type registerBody struct {
	srapi.RegisterRequest
	// Schema tags (Confluent's schemaTagsToAdd, schemaTagsToRemove,
	// propagateSchemaTags) are not implemented: sent non-empty, they are
	// refused (422) naming the field.
	SchemaTagsToAdd     json.RawMessage `json:"schemaTagsToAdd"`
	SchemaTagsToRemove  json.RawMessage `json:"schemaTagsToRemove"`
	PropagateSchemaTags *bool           `json:"propagateSchemaTags"`
}

// unsupported refuses the fields of b the registry does not implement.
func (b *registerBody) unsupported() error {
	for name, v := range map[string]json.RawMessage{"schemaTagsToAdd": b.SchemaTagsToAdd, "schemaTagsToRemove": b.SchemaTagsToRemove} {
		if t := bytes.TrimSpace(v); len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("[]")) {
			return httpError(codeUnprocessable, "Unsupported field %s: schema tags are not implemented by this registry", name)
		}
	}
	if b.PropagateSchemaTags != nil && *b.PropagateSchemaTags {
		return httpError(codeUnprocessable, "Unsupported field propagateSchemaTags: schema tags are not implemented by this registry")
	}
	return nil
}

// rawContract renders a wire contract part as the domain takes it: nil
// when absent, canonicalised by the domain.
func rawContract[T any](v *T) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// wireContract renders a stored contract part; nil when absent or when
// it no longer decodes (stored before it was validated).
func wireContract[T any](raw json.RawMessage) *T {
	if len(raw) == 0 {
		return nil
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil
	}
	return v
}

// resolveAlias returns the subject an aliased subject acts on, which the
// caller must be allowed to reach with perm.
func (a *API) resolveAlias(c echo.Context, subject string, perm registry.Permission) (string, error) {
	return a.svc.ResolveAlias(c.Request().Context(), subject, perm)
}

// configBody is the body of PUT /config: srapi.ConfigUpdate plus the
// Confluent fields the registry refuses rather than ignores.
type configBody struct {
	srapi.ConfigUpdate
	// ValidateRules (Confluent: check rule expressions at registration)
	// is refused when true: rules are stored, never executed here.
	ValidateRules *bool `json:"validateRules"`
	// CompatibilityPolicy is refused whenever set.
	CompatibilityPolicy json.RawMessage `json:"compatibilityPolicy"`
}

func (b *configBody) unsupported() error {
	if b.ValidateRules != nil && *b.ValidateRules {
		return registry.Errorf(srapi.CodeInvalidCompatibilityLevel, "Unsupported field validateRules: this registry stores rules but does not evaluate them")
	}
	if t := bytes.TrimSpace(b.CompatibilityPolicy); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		return registry.Errorf(srapi.CodeInvalidCompatibilityLevel, "Unsupported field compatibilityPolicy: not implemented by this registry")
	}
	return nil
}

// nullFields lists the config fields sent as null, which the update
// clears.
func nullFields(body []byte) []registry.ConfigField {
	// The body has already decoded into a struct: it is an object, or
	// null.
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return nil
	}
	var out []registry.ConfigField
	for name, v := range fields {
		if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			continue
		}
		switch f := registry.ConfigField(name); f {
		case "compatibilityLevel":
			out = append(out, registry.FieldCompatibility)
		case registry.FieldCompatibility, registry.FieldAdditiveOnly, registry.FieldNormalize, registry.FieldMinDeprecation,
			registry.FieldConsumerBreakage, registry.FieldValidateFields, registry.FieldAlias, registry.FieldCompatibilityGroup,
			registry.FieldDefaultMetadata, registry.FieldOverrideMetadata, registry.FieldDefaultRuleSet, registry.FieldOverrideRuleSet:
			out = append(out, f)
		}
	}
	return out
}

// domainContracts converts the data-contract fields of a config update.
func domainContracts(u *srapi.ConfigContracts, c *registry.Config) error {
	c.Alias = u.Alias
	c.ValidateFields = u.ValidateFields
	c.CompatibilityGroup = u.CompatibilityGroup
	var err error
	if c.DefaultMetadata, err = rawContract(u.DefaultMetadata); err != nil {
		return err
	}
	if c.OverrideMetadata, err = rawContract(u.OverrideMetadata); err != nil {
		return err
	}
	if c.DefaultRuleSet, err = rawContract(u.DefaultRuleSet); err != nil {
		return err
	}
	c.OverrideRuleSet, err = rawContract(u.OverrideRuleSet)
	return err
}

// wireContracts renders the data-contract fields of a config.
func wireContracts(c registry.Config) srapi.ConfigContracts {
	return srapi.ConfigContracts{
		Alias:              c.Alias,
		ValidateFields:     c.ValidateFields,
		CompatibilityGroup: c.CompatibilityGroup,
		DefaultMetadata:    wireContract[srapi.Metadata](c.DefaultMetadata),
		OverrideMetadata:   wireContract[srapi.Metadata](c.OverrideMetadata),
		DefaultRuleSet:     wireContract[srapi.RuleSet](c.DefaultRuleSet),
		OverrideRuleSet:    wireContract[srapi.RuleSet](c.OverrideRuleSet),
	}
}

// getLatestWithMetadata serves GET /subjects/{subject}/metadata: the latest
// version whose metadata properties hold every key=value pair given as
// the query parameters key and value (repeated, paired in order). Query
// parameter: deleted.
func (a *API) getLatestWithMetadata(c echo.Context, subject string) error {
	q := c.Request().URL.Query()
	keys, values := q["key"], q["value"]
	if len(keys) != len(values) {
		return httpError(codeBadRequest, "Query parameters key and value must come in pairs: got %d keys and %d values", len(keys), len(values))
	}
	props := make(map[string]string, len(keys))
	for i, k := range keys {
		props[k] = values[i]
	}
	subject, err := a.resolveAlias(c, subject, registry.PermRead)
	if err != nil {
		return err
	}
	v, err := a.svc.LatestWithMetadata(c.Request().Context(), subject, props, queryBool(c, "deleted"))
	if err != nil {
		return err
	}
	return a.ok(c, wireSubjectVersion(v))
}
