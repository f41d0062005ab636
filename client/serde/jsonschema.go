package serde

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/schemata-dev/schemata/client"
)

// jsonSchemaBase is the base URI of a schema without "$id": relative
// reference names resolve against it, as the registry resolves them
// against the schema's own base URI.
const jsonSchemaBase = "mem://schemata/schema.json"

// JSONSchema is the JSON Schema format, plugged in with WithFormats. The
// payload is the value's encoding/json text, validated against the
// registered schema on both sides with github.com/santhosh-tekuri/jsonschema/v6,
// so a producer cannot write and a consumer does not accept a message the
// schema refuses. A schema without "$schema" is read as draft 7, as the
// registry reads it.
type JSONSchema struct{}

// Type returns "JSON".
func (JSONSchema) Type() string { return client.TypeJSON }

// Parse compiles s with its references. Each reference is found under its
// name, the URI the schema's "$ref" uses, resolved against the schema's
// "$id" when it has one.
func (JSONSchema) Parse(s client.Schema, deps []Dependency) (Parsed, error) {
	root, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(s.Schema)))
	if err != nil {
		return nil, fmt.Errorf("json schema: %w", err)
	}
	base, err := url.Parse(jsonSchemaBase)
	if err != nil {
		return nil, fmt.Errorf("json schema: %w", err)
	}
	if obj, ok := root.(map[string]any); ok {
		if id, ok := obj["$id"].(string); ok {
			if u, err := base.Parse(id); err == nil {
				base = u
			}
		}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	for _, d := range deps {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(d.Schema.Schema)))
		if err != nil {
			return nil, fmt.Errorf("json schema reference %q: %w", d.Name, err)
		}
		loc, err := base.Parse(d.Name)
		if err != nil {
			return nil, fmt.Errorf("json schema reference %q: %w", d.Name, err)
		}
		loc.Fragment = ""
		if err := c.AddResource(loc.String(), doc); err != nil {
			return nil, fmt.Errorf("json schema reference %q: %w", d.Name, err)
		}
	}
	// Added under the base without its "$id": the compiler files the
	// resource under its "$id" itself.
	if err := c.AddResource(jsonSchemaBase, root); err != nil {
		return nil, fmt.Errorf("json schema: %w", err)
	}
	sch, err := c.Compile(jsonSchemaBase)
	if err != nil {
		return nil, fmt.Errorf("json schema: %w", err)
	}
	return &JSONSchemaSchema{Schema: sch}, nil
}

// JSONSchemaSchema is a compiled JSON Schema.
type JSONSchemaSchema struct {
	Schema *jsonschema.Schema
}

// AppendEncode appends the JSON encoding of v after validating it. A
// value the schema refuses is an error wrapping *jsonschema.ValidationError.
func (j *JSONSchemaSchema) AppendEncode(dst []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dst, fmt.Errorf("json encode: %w", err)
	}
	if _, err := j.validate(b); err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// Decode validates payload and decodes it into v with encoding/json.
func (j *JSONSchemaSchema) Decode(payload []byte, v any) error {
	if _, err := j.validate(payload); err != nil {
		return err
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("json decode: %w", err)
	}
	return nil
}

// DecodeAny validates payload and returns it as map[string]any, []any,
// string, bool, nil and json.Number (numbers keep their exact text).
func (j *JSONSchemaSchema) DecodeAny(payload []byte) (any, error) {
	return j.validate(payload)
}

// validate parses the JSON text b and validates it against the schema.
func (j *JSONSchemaSchema) validate(b []byte) (any, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("json decode: %w", err)
	}
	if err := j.Schema.Validate(v); err != nil {
		return nil, fmt.Errorf("json schema validation: %w", err)
	}
	return v, nil
}
