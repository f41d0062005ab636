package registry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/schemata-dev/schemata/compat"
	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/formats"
	"github.com/schemata-dev/schemata/srapi"
)

// MaxSchemaID is the largest global schema id: Confluent's wire format
// carries the id in 4 bytes and its clients read it as a signed 32-bit
// integer, so no id outside 1..MaxSchemaID is ever accepted or handed out.
const MaxSchemaID = math.MaxInt32

// DefaultParseWait is how long a parse or check waits for a free slot
// when every slot is busy (see Options.MaxConcurrentParses).
const DefaultParseWait = time.Second

// gate bounds the number of parse and check operations running at once.
// An operation that finds every slot busy waits a short while, then gives
// up with srapi.CodeOverloaded: better a quick 503 the client retries than a
// queue that grows while every request in it times out.
type gate struct {
	slots chan struct{}
	wait  time.Duration
}

func newGate(n int, wait time.Duration) *gate {
	return &gate{slots: make(chan struct{}, n), wait: wait}
}

// do runs f in a slot. Callers must not call do again from f: nested
// slots could wait on each other.
func (g *gate) do(ctx context.Context, f func() error) error {
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return &Error{Code: srapi.CodeOverloaded, Message: fmt.Sprintf(
				"The registry is busy parsing and checking other schemas (%d at once); retry shortly", cap(g.slots))}
		case <-ctx.Done():
			return storeError(ctx.Err())
		}
	}
	defer func() { <-g.slots }()
	return f()
}

// parseText parses text of format f with its resolved dependencies within
// the service's limits and a parse slot. Invalid schemas, including
// schemas beyond a limit, are srapi.CodeInvalidSchema errors.
func (s *Service) parseText(ctx context.Context, f schema.Format, text string, deps []schema.Dependency) (schema.Schema, error) {
	return s.parseTextWith(ctx, formats.ParseWithLimits, f, text, deps)
}

// parseTextLenient is parseText accepting what another registry accepts
// and the formats' own stricter validation refuses (see
// formats.ParseLenientWithLimits): for stored schemas, which IMPORT may
// have copied as they were, and for finding them again.
func (s *Service) parseTextLenient(ctx context.Context, f schema.Format, text string, deps []schema.Dependency) (schema.Schema, error) {
	return s.parseTextWith(ctx, formats.ParseLenientWithLimits, f, text, deps)
}

type parseFunc func(context.Context, schema.Format, string, []schema.Dependency, schema.Limits) (schema.Schema, error)

func (s *Service) parseTextWith(ctx context.Context, parse parseFunc, f schema.Format, text string, deps []schema.Dependency) (schema.Schema, error) {
	if !formats.Supports(f) {
		return nil, Errorf(srapi.CodeInvalidSchema, "schema type %s is not supported; this registry accepts AVRO, PROTOBUF and JSON", f)
	}
	var sch schema.Schema
	err := s.gate.do(ctx, func() error {
		var err error
		sch, err = parse(ctx, f, text, deps, s.opts.Limits)
		return err
	})
	var e *Error
	if errors.As(err, &e) {
		return nil, err
	}
	if err != nil && ctx.Err() != nil {
		return nil, storeError(ctx.Err())
	}
	return wrapParseError(sch, err)
}

// check runs a compatibility check in a parse slot; it stops when ctx
// ends.
func (s *Service) check(ctx context.Context, req compat.Request) (compat.Result, error) {
	var res compat.Result
	err := s.gate.do(ctx, func() error {
		var err error
		res, err = compat.CheckContext(ctx, req)
		return err
	})
	if err != nil {
		return compat.Result{}, storeError(err)
	}
	return res, nil
}

// checkExplicitIDs refuses an explicit id or version that no client could
// use: ids outside 1..MaxSchemaID, negative versions or versions beyond
// 32 bits. Zero means none was given.
func checkExplicitIDs(p RegisterParams) error {
	if p.ID < 0 || p.ID > MaxSchemaID {
		return Errorf(srapi.CodeOperationNotPermitted, "Invalid schema id %d: an explicit id must be between 1 and %d", p.ID, MaxSchemaID)
	}
	if p.Version < 0 || p.Version > math.MaxInt32 {
		return Errorf(srapi.CodeInvalidVersion, "Invalid version %d: an explicit version must be between 1 and %d", p.Version, math.MaxInt32)
	}
	return nil
}

// checkAllocatedID refuses an id the store handed out beyond what clients
// can read; the caller's transaction then rolls back.
func checkAllocatedID(id int) error {
	if id >= 1 && id <= MaxSchemaID {
		return nil
	}
	return &Error{
		Code: srapi.CodeStoreError,
		Message: fmt.Sprintf("Schema ids are exhausted: the store assigned id %d, outside the ids clients accept (1 to %d)",
			id, MaxSchemaID),
	}
}

// referencesLimit is the error of a schema whose references, direct and
// indirect, number more than the limit.
func referencesLimit(n, limit int) error {
	le := &schema.LimitError{Limit: "MaxReferences", Max: limit, What: fmt.Sprintf("the number of references (%d or more, direct and indirect)", n)}
	return &Error{Code: srapi.CodeInvalidSchema, Message: "Invalid schema: " + le.Error(), Err: le}
}
