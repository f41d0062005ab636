package compat

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemata-dev/schemata/schema"
)

// Consumer rules guard registered downstream consumers: pipelines that
// read a subject with a reader schema of their own, or that use a list of
// fields. They run in addition to the subject's level and policy, on the
// writer schema being registered (or, for a backfill check, on every
// writer version within the consumer's backfill window).
var (
	ruleConsumerReaderIncompatible = newConsumerRule("", "CONSUMER_READER_INCOMPATIBLE",
		"A registered consumer's reader schema must be able to read data written with the writer schema (Avro schema resolution; for JSON Schema, the reader accepts every value the writer allows).")
	ruleConsumerFieldMissing = newConsumerRule("", "CONSUMER_FIELD_MISSING",
		"Every field a registered consumer reads must still exist in the writer schema.")
	ruleConsumerFieldTypeChanged = newConsumerRule("", "CONSUMER_FIELD_TYPE_CHANGED",
		"Every field a registered consumer reads must keep a type the consumer can still decode.")
	ruleConsumerFieldNumberChanged = newConsumerRule(schema.Protobuf, "CONSUMER_FIELD_NUMBER_CHANGED",
		"Every Protobuf field a registered consumer reads must keep its field number.")
	ruleConsumerMessageMissing = newConsumerRule(schema.Protobuf, "CONSUMER_MESSAGE_MISSING",
		"The Protobuf message a registered consumer decodes must still exist in the writer schema.")
	ruleConsumerFieldUnknown = newRule(Rule{
		ID:         "CONSUMER_FIELD_UNKNOWN",
		Purpose:    "A field a registered consumer declares it reads exists in neither the writer schema nor the version it is compared with; the consumer's declaration is probably wrong.",
		Categories: []Category{CategoryConsumer},
		Severity:   Warning,
	})
)

// newConsumerRule declares an error rule guarding registered consumers,
// of format f (empty for every format).
func newConsumerRule(f schema.Format, id, purpose string) Rule {
	return newRule(Rule{ID: id, Purpose: purpose, Format: f, Categories: []Category{CategoryConsumer}})
}

// ConsumerReader is what one registered consumer reads from a subject:
// either a reader schema of its own (an Avro reader schema, a Protobuf
// schema and the message it decodes, or a JSON Schema) or the list of
// field paths it uses.
type ConsumerReader struct {
	// Consumer and Owner name the consumer in findings.
	Consumer string
	Owner    string
	// Reader is the consumer's parsed reader schema; nil for a field-path
	// consumer.
	Reader schema.Schema
	// Message is the full name of the Protobuf message the consumer
	// decodes; empty means the first message of Reader, or, for field
	// paths, that paths are full names.
	Message string
	// Fields are the schema paths the consumer uses, in the notation of
	// the subject's format (see ResolvePath).
	Fields []string
}

// ConsumerRequest is one consumer check: can the consumer read data
// written with Writer?
type ConsumerRequest struct {
	Consumer ConsumerReader
	// Writer is the writer schema: the schema being registered, or an
	// earlier version in a backfill check.
	Writer schema.Schema
	// WriterName describes Writer in messages, e.g. "the new schema" or
	// "version 3".
	WriterName string
	// Version tags the findings (Finding.Version): the writer's version in
	// a backfill check, 0 for a schema being registered.
	Version int
	// Reference is the version whose field types a field-path consumer
	// decodes today, normally the subject's latest live version; nil when
	// there is none. Field-path checks compare Writer with it.
	Reference schema.Schema
}

// CheckConsumer reports what would break for one consumer reading data
// written with req.Writer. Findings carry the consumer's name in
// Finding.Consumer and name its owner in the message.
//
// A reader schema is checked with the format's resolution rules in the
// direction "the consumer's reader reads the writer" (for Avro, exactly
// the FORWARD rules with the reader as the earlier schema; for Protobuf,
// every field of the decoded message, recursively, must keep its name,
// number and a compatible type; for JSON Schema, the reader must accept
// every value the writer allows). A field-path consumer's fields must each
// exist in the writer with a type the consumer can decode, judged against
// req.Reference.
func CheckConsumer(req ConsumerRequest) []Finding {
	fs, _ := CheckConsumerContext(context.Background(), req)
	return fs
}

// CheckConsumerContext is CheckConsumer that stops, with ctx's error, once
// ctx is done: it looks every few hundred elements compared or fields
// resolved, so a client that leaves stops the check of a huge reader
// schema or field list within moments.
func CheckConsumerContext(ctx context.Context, req ConsumerRequest) (_ []Finding, err error) {
	defer catch(&err)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req.Writer == nil {
		return nil, nil
	}
	if req.WriterName == "" {
		req.WriterName = "the new schema"
	}
	c := &consumerCheck{req: req, st: newStopper(ctx)}
	switch {
	case req.Consumer.Reader != nil:
		c.checkReader()
	case len(req.Consumer.Fields) > 0:
		c.checkFields()
	}
	return c.findings, nil
}

// consumerCheck collects the findings of one CheckConsumer call.
type consumerCheck struct {
	req      ConsumerRequest
	st       *stopper // ticked once per element compared or field resolved
	findings []Finding
}

// who names the consumer and its owner at the start of a message.
func (c *consumerCheck) who() string {
	if c.req.Consumer.Owner == "" {
		return fmt.Sprintf("consumer %s", c.req.Consumer.Consumer)
	}
	return fmt.Sprintf("consumer %s (owner %s)", c.req.Consumer.Consumer, c.req.Consumer.Owner)
}

// report adds a finding; newPos locates the element in the writer, oldPos
// in the consumer's reader schema or the reference version.
func (c *consumerCheck) report(r Rule, path string, newPos, oldPos schema.Position, format string, args ...any) {
	f := Finding{
		RuleID:    r.ID,
		Severity:  r.Severity,
		Path:      path,
		New:       newPos,
		Old:       oldPos,
		Message:   c.who() + " " + fmt.Sprintf(format, args...),
		Version:   c.req.Version,
		Direction: DirForward,
		Consumer:  c.req.Consumer.Consumer,
	}
	markEnclosing(&f, c.req.Writer)
	c.findings = append(c.findings, f)
}

func (c *consumerCheck) checkReader() {
	reader, writer := c.req.Consumer.Reader, c.req.Writer
	if reader.Format() != writer.Format() {
		c.report(ruleConsumerReaderIncompatible, "", schema.Position{}, schema.Position{},
			"reads with a %s schema, but %s is %s", reader.Format(), c.req.WriterName, writer.Format())
		return
	}
	switch writer.Format() {
	case schema.Avro:
		c.checkAvroReader()
	case schema.Protobuf:
		c.checkProtoReader()
	case schema.JSON:
		c.checkJSONReader()
	}
}

// checkAvroReader applies the Avro resolution rules with the consumer's
// reader as the reading side.
func (c *consumerCheck) checkAvroReader() {
	// The inner check names its sides "version N" and "the new schema";
	// here they are the consumer's reader and the writer, so the reader
	// side gets a number no version has, renamed in readerFindings.
	c.readerFindings(checkerFor(schema.Avro).compare(c.st, Version{Version: consumerReaderVersion, Schema: c.req.Consumer.Reader}, c.req.Writer, DirForward))
}

// readerFindings wraps the errors of a comparison of the writer with the
// consumer's reader schema (the reader as the reading side) as consumer
// findings that keep the underlying rule ID in their message.
func (c *consumerCheck) readerFindings(inner []Finding) {
	reader := fmt.Sprintf("consumer %s's reader", c.req.Consumer.Consumer)
	readerSide := fmt.Sprintf("version %d", consumerReaderVersion)
	rename := strings.NewReplacer(
		readerSide+" cannot read data written with the new schema: ", "",
		readerSide, reader,
		"the new schema", c.req.WriterName,
		"the new type", c.req.WriterName+"'s type",
	)
	for _, f := range inner {
		if f.Severity != Error {
			continue
		}
		c.findings = append(c.findings, Finding{
			RuleID:   ruleConsumerReaderIncompatible.ID,
			Severity: ruleConsumerReaderIncompatible.Severity,
			Path:     f.Path,
			New:      f.New,
			Old:      f.Old,
			Message: fmt.Sprintf("%s cannot read data written with %s using its reader schema: %s [%s]",
				c.who(), c.req.WriterName, rename.Replace(f.Message), f.RuleID),
			Version:   c.req.Version,
			Direction: DirForward,
			Consumer:  c.req.Consumer.Consumer,
		})
	}
}

// consumerReaderVersion stands for the consumer's reader in the inner
// checks of checkAvroReader; no registered version has it.
const consumerReaderVersion = -1

func (c *consumerCheck) checkFields() {
	switch c.req.Writer.Format() {
	case schema.Avro:
		c.checkAvroFields()
	case schema.Protobuf:
		c.checkProtoFields()
	case schema.JSON:
		c.checkJSONFields()
	}
}
