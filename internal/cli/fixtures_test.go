package cli

import "testing"

// Schema texts shared by the tests. Line and column numbers in expected
// outputs refer to these exact texts.

const orderV1 = `{
  "type": "record",
  "name": "Order",
  "namespace": "shop",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "amount", "type": "double"}
  ]
}
`

// orderCompatible adds an optional field with a default.
const orderCompatible = `{
  "type": "record",
  "name": "Order",
  "namespace": "shop",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "amount", "type": "double"},
    {"name": "note", "type": ["null", "string"], "default": null}
  ]
}
`

// orderBreaking adds a field without a default: the new schema cannot
// read data written with the old one.
const orderBreaking = `{
  "type": "record",
  "name": "Order",
  "namespace": "shop",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "amount", "type": "double"},
    {"name": "price", "type": "double"}
  ]
}
`

// orderInvalid does not parse (a missing comma on line 6).
const orderInvalid = `{
  "type": "record",
  "name": "Order",
  "fields": [
    {"name": "id", "type": "string"}
    {"name": "amount", "type": "double"}
  ]
}
`

const userV1 = `{"type": "record", "name": "User", "namespace": "shop", "fields": [{"name": "id", "type": "long"}]}
`

const commonProto = `syntax = "proto3";
package shop.v1;

message Money {
  int64 units = 1;
  string currency = 2;
}
`

const paymentProto = `syntax = "proto3";
package shop.v1;

import "common.proto";

message Payment {
  string id = 1;
  Money amount = 2;
}
`

// paymentBreaking changes a field's type to one that is not wire
// compatible.
const paymentBreaking = `syntax = "proto3";
package shop.v1;

import "common.proto";

message Payment {
  Money id = 1;
  Money amount = 2;
}
`

// projectConfig maps the fixtures.
const projectConfig = `registry: http://registry.invalid:8081
subjects:
  - subject: orders-value
    file: schemas/order.avsc
  - subject: users-value
    file: schemas/user.avsc
  - subject: common-value
    file: schemas/common.proto
  - subject: payments-value
    file: schemas/payment.proto
    references:
      - name: common.proto
        file: schemas/common.proto
`

// baseProject is the files of a project at its first version.
func baseProject() map[string]string {
	return map[string]string{
		"schemactl.yaml":        projectConfig,
		"schemas/order.avsc":    orderV1,
		"schemas/user.avsc":     userV1,
		"schemas/common.proto":  commonProto,
		"schemas/payment.proto": paymentProto,
	}
}

// baseProjectDir is a fresh directory holding baseProject.
func baseProjectDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, baseProject())
	return dir
}
