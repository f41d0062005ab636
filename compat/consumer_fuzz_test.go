package compat

import (
	"strings"
	"testing"

	"github.com/schemata-dev/schemata/schema"
)

// FuzzCheckConsumer checks that no pair of Avro schemas and no field list
// makes a consumer check panic, whether the consumer reads with the first
// schema or declares fields of it.
func FuzzCheckConsumer(f *testing.F) {
	f.Add(`{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}`,
		`{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}`, "a,R.a,b")
	f.Add(`{"type":"record","name":"R","fields":[{"name":"u","type":["null",{"type":"record","name":"S","fields":[{"name":"x","type":"string"}]}]}]}`,
		`{"type":"record","name":"R","fields":[{"name":"u","type":"null"}]}`, "u<S>.x,u")
	f.Add(`{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}`, `"string"`, "next<L>.next")
	f.Fuzz(func(t *testing.T, readerText, writerText, fields string) {
		exerciseConsumer(fixtureParsers[".avsc"], readerText, writerText, fields)
	})
}

// exerciseConsumer parses a reader and a writer schema with parse and,
// when both parse, runs every consumer entry point on them and a
// comma-separated field list, as a reader-schema consumer and as a
// field-path consumer.
func exerciseConsumer(parse func(name, text string) (schema.Schema, error), readerText, writerText, fields string) {
	reader, err1 := parse("reader", readerText)
	writer, err2 := parse("writer", writerText)
	if err1 != nil || err2 != nil {
		return
	}
	paths := strings.Split(fields, ",")
	for _, c := range []ConsumerReader{
		{Consumer: "c", Reader: reader},
		{Consumer: "c", Fields: paths},
	} {
		CheckConsumer(ConsumerRequest{Consumer: c, Writer: writer, Reference: reader})
		CheckConsumer(ConsumerRequest{Consumer: c, Writer: writer})
		for _, p := range paths {
			c.Reads(writer, p)
			c.Reads(writer, ResolvePath(writer, "", p))
			HasPath(writer, ResolvePath(writer, "", p))
		}
	}
}
