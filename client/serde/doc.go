// Package serde is the runtime side of the registry for Go pipelines:
// cached schema lookups, serializers and deserializers of the Confluent
// wire format for Avro, Protobuf and JSON Schema, and deprecation awareness, so that a
// pipeline learns it reads something going away when it reads it.
//
// # Lookups
//
// A Registry wraps client.Client with caches. Schemas by id and numbered
// subject versions never change, so they are kept for the life of the
// process within a byte budget (WithCacheBytes); a subject's latest
// version is reused for a TTL (WithLatestTTL). A cache hit does not
// allocate; concurrent misses for one answer send one request.
//
//	reg, err := serde.NewRegistry("http://registry:8081", serde.WithClientID("orders-etl/2"))
//	s, err := reg.SchemaByID(ctx, 42)                                  // GET /schemas/ids/42
//	s, err = reg.SchemaByVersion(ctx, "orders-value", client.Latest)   // GET /subjects/orders-value/versions/latest
//
// # Wire format
//
// A message is the magic byte 0, the schema id as 4 big-endian bytes, and
// the payload; a Protobuf payload starts with the message-index list
// (zigzag varints; the single byte 0 for the file's first message). See
// AppendHeader, ParseHeader and AppendMessageIndexes.
//
//	ser, err := serde.NewSerializer(reg, client.Schema{Schema: orderAvsc})
//	b, err := ser.Serialize(ctx, "orders", order)   // subject orders-value (TopicName)
//	de := serde.NewDeserializer(reg)
//	s, err := de.Deserialize(ctx, b, &order)
//
// A Serializer finds its schema's id by looking the schema up under the
// subject its SubjectNameStrategy names (TopicName by default), or
// registers it (AutoRegister), or writes with the subject's latest
// version (UseLatest) or a fixed id (UseSchemaID). Formats are pluggable
// (Format, WithFormats): Avro (hamba/avro) and Protobuf (protocompile and
// google.golang.org/protobuf) are built in; JSON Schema (JSONSchema,
// validating every message against its schema) is added with WithFormats.
//
// # Deprecations
//
// The registry marks lookups of deprecated subjects and versions with the
// Deprecation (RFC 9745) and Sunset (RFC 8594) response headers, and lists
// every deprecation, fields included, with its reason and replacement
// under /v1/deprecations. When a Registry fetches a schema (a cache miss)
// it reads both and reports each deprecated element: to the
// WithOnDeprecated hook, or by default as one slog warning per schema id
// and element. Metrics counts what was found and how many messages used a
// deprecated schema.
//
// The package may import client and the format libraries; it must not
// import the registry's server, domain, storage or checker packages, so
// that pipelines do not link the server.
package serde
