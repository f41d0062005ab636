package compat

import "github.com/schemata-dev/schemata/schema"

// protoChecker applies the Protobuf rules.
type protoChecker struct{}

func (protoChecker) compare(old Version, new schema.Schema, dir Direction) []Finding { return nil }
func (protoChecker) additive(history []Version, new schema.Schema, p Policy) []Finding {
	return nil
}
func (protoChecker) diff(old, new schema.Schema) []Change { return nil }
