package compat

import "github.com/schemata-dev/schemata/schema"

// avroChecker applies the Avro rules.
type avroChecker struct{}

func (avroChecker) compare(old Version, new schema.Schema, dir Direction) []Finding { return nil }
func (avroChecker) additive(history []Version, new schema.Schema, p Policy) []Finding {
	return nil
}
func (avroChecker) diff(old, new schema.Schema) []Change { return nil }
