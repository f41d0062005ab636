// Package jsonschema parses and validates JSON Schema documents for the
// registry: drafts 4, 6, 7, 2019-09 and 2020-12, chosen by "$schema"
// (draft 7 when absent, as in the Confluent registry). It renders the forms
// the registry needs (stored text, identity, normalized form), reads
// deprecation markers, resolves every "$ref" (within the schema, or to a
// Confluent reference whose name is the URI used in "$ref"), and keeps where
// each value sits in the text so that errors and compatibility findings can
// point at a line and column.
//
// Meta-schema validation uses github.com/santhosh-tekuri/jsonschema/v6; the
// package's own position-aware JSON reader gives the tree the checker walks
// and the text forms. docs/jsonschema.md describes the identity,
// normalization and deprecation conventions.
//
// # Schema paths
//
// Elements are named by JSON Pointer (RFC 6901) into the schema text:
// "/properties/customer/properties/name" is property name of property
// customer, "/$defs/Address" a definition, "" the root. Consumers may
// also name what they read with field paths ("customer.email",
// "items[].sku", see ParseFieldPath), which ResolvePath follows through
// "$ref" to the JSON Pointer where the element is written.
//
// The package depends only on the standard library, package schema and the
// validation library. It must not depend on compat, registry, storage or
// HTTP code.
package jsonschema
