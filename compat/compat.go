// Package compat decides whether a schema change is safe.
//
// Given a new schema and the live versions of a subject, Check applies the
// subject's compatibility level (the seven Confluent levels) and, optionally,
// the additive-only policy, and returns located findings. Each finding names
// the rule that produced it; rules have stable IDs (see Rules).
//
// Old and new elements are paired once per format (Avro named types by full
// name and aliases, fields by name and aliases; Protobuf messages by full
// name, fields and enum values by number), and rules compare only matched
// pairs.
//
// compat depends on the schema format packages only. It never reads the
// clock: "now" and deprecation dates come in through Policy.
package compat

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/schemata-dev/schemata/schema"
)

// Level is a Confluent compatibility level.
type Level string

// The seven Confluent compatibility levels.
const (
	None               Level = "NONE"
	Backward           Level = "BACKWARD"
	BackwardTransitive Level = "BACKWARD_TRANSITIVE"
	Forward            Level = "FORWARD"
	ForwardTransitive  Level = "FORWARD_TRANSITIVE"
	Full               Level = "FULL"
	FullTransitive     Level = "FULL_TRANSITIVE"
)

// Levels lists every level in Confluent's documentation order.
var Levels = []Level{None, Backward, BackwardTransitive, Forward, ForwardTransitive, Full, FullTransitive}

// ParseLevel parses a level name, case-insensitively.
func ParseLevel(s string) (Level, error) {
	l := Level(strings.ToUpper(strings.TrimSpace(s)))
	for _, known := range Levels {
		if l == known {
			return l, nil
		}
	}
	return "", fmt.Errorf("invalid compatibility level %q", s)
}

// Backward reports whether l requires the new schema to read data written
// with earlier schemas.
func (l Level) Backward() bool {
	return l == Backward || l == BackwardTransitive || l == Full || l == FullTransitive
}

// Forward reports whether l requires earlier schemas to read data written
// with the new schema.
func (l Level) Forward() bool {
	return l == Forward || l == ForwardTransitive || l == Full || l == FullTransitive
}

// Transitive reports whether l checks every live earlier version rather
// than only the latest.
func (l Level) Transitive() bool {
	return l == BackwardTransitive || l == ForwardTransitive || l == FullTransitive
}

// Direction says which side reads and which side writes in one comparison.
type Direction string

const (
	// DirBackward: the new schema reads data written with the old one.
	DirBackward Direction = "backward"
	// DirForward: the old schema reads data written with the new one.
	DirForward Direction = "forward"
	// DirPolicy marks findings of the additive-only policy, which compare
	// versions without a reader/writer direction.
	DirPolicy Direction = "policy"
)

// Severity ranks a finding.
type Severity string

const (
	// Error findings make a change incompatible.
	Error Severity = "error"
	// Warning findings are reported but do not fail a check.
	Warning Severity = "warning"
)

// Category groups rules, in the manner of buf's breaking categories.
type Category string

// Rule categories.
const (
	// CategoryBackward rules guard new readers of old data.
	CategoryBackward Category = "BACKWARD"
	// CategoryForward rules guard old readers of new data.
	CategoryForward Category = "FORWARD"
	// CategoryWire rules guard the binary encoding.
	CategoryWire Category = "WIRE"
	// CategoryWireJSON rules guard the JSON encoding (names matter).
	CategoryWireJSON Category = "WIRE_JSON"
	// CategoryFile rules guard generated code and source layout.
	CategoryFile Category = "FILE"
	// CategoryAdditive rules make up the additive-only policy.
	CategoryAdditive Category = "ADDITIVE"
	// CategoryConsumer rules guard registered downstream consumers.
	CategoryConsumer Category = "CONSUMER"
)

// Rule describes one check. IDs are stable: they appear in CI
// configuration, suppressions and dashboards, so they never change.
type Rule struct {
	ID         string
	Purpose    string
	Format     schema.Format
	Categories []Category
	Severity   Severity
}

var ruleTable = map[string]Rule{}

// newRule adds r to the rule table; rules are declared as package-level
// variables next to the code that applies them.
func newRule(r Rule) Rule {
	if _, dup := ruleTable[r.ID]; dup {
		panic("compat: duplicate rule ID " + r.ID)
	}
	if r.Severity == "" {
		r.Severity = Error
	}
	ruleTable[r.ID] = r
	return r
}

// newAdditiveRule declares an error rule of the additive-only policy for
// format f; also lists the categories it has besides CategoryAdditive.
func newAdditiveRule(f schema.Format, id, purpose string, also ...Category) Rule {
	return newRule(Rule{ID: id, Purpose: purpose, Format: f, Categories: append([]Category{CategoryAdditive}, also...)})
}

// Rules returns every rule, ordered by format then ID.
func Rules() []Rule {
	out := make([]Rule, 0, len(ruleTable))
	for _, r := range ruleTable {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Format != out[j].Format {
			return out[i].Format < out[j].Format
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// LookupRule returns the rule with the given ID.
func LookupRule(id string) (Rule, bool) {
	r, ok := ruleTable[id]
	return r, ok
}

// Finding is one problem found by one rule.
type Finding struct {
	RuleID   string
	Severity Severity
	// Path is the schema path of the element concerned, e.g.
	// "Order.items[].price" or "shop.v1.Order.items".
	Path string
	// New and Old locate the element in the new and in the old text. An
	// added element has no place in the old text, so Old may be unknown; a
	// removed element is located in the new text at the nearest element
	// that enclosed it (see NewEnclosing), so that New names a line.
	New schema.Position
	Old schema.Position
	// NewEnclosing reports that the element is absent from the new text and
	// New locates the element that enclosed it (its record or message).
	NewEnclosing bool
	// Message explains the problem to someone who did not write the schema.
	Message string
	// Version is the earlier version checked against (0 when none).
	Version   int
	Direction Direction
	// Consumer names the registered consumer a consumer finding concerns.
	Consumer string
}

// String renders f on one line: path: message (RULE_ID).
func (f Finding) String() string {
	var b strings.Builder
	if f.Path != "" {
		b.WriteString(f.Path)
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	b.WriteString(" (")
	b.WriteString(f.RuleID)
	b.WriteString(")")
	return b.String()
}

// MaxFindings bounds the findings a Result holds, so that an answer stays
// bounded however different two schemas are.
const MaxFindings = 1000

// Result is the outcome of a check.
type Result struct {
	Findings []Finding
	// Truncated counts the findings left out of Findings to keep it within
	// MaxFindings. Errors are kept before warnings, so Compatible is exact
	// even when findings were left out.
	Truncated int
}

// Truncate keeps at most limit findings, errors first and otherwise in
// their order, and adds the number left out to r.Truncated. Callers that
// append findings of their own to a Result use it to keep it bounded. A
// limit below 1 counts as 1, so that errors are never all left out.
func (r *Result) Truncate(limit int) {
	limit = max(limit, 1)
	if len(r.Findings) <= limit {
		return
	}
	nErrors := 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			nErrors++
		}
	}
	warnings := limit - min(nErrors, limit)
	kept := make([]Finding, 0, limit)
	for _, f := range r.Findings {
		switch {
		case len(kept) == limit:
		case f.Severity == Error:
			kept = append(kept, f)
		case warnings > 0:
			kept = append(kept, f)
			warnings--
		}
	}
	r.Truncated += len(r.Findings) - len(kept)
	r.Findings = kept
}

// Compatible reports whether no finding has error severity.
func (r Result) Compatible() bool {
	for _, f := range r.Findings {
		if f.Severity == Error {
			return false
		}
	}
	return true
}

// Messages renders every finding with String, for APIs that want strings.
func (r Result) Messages() []string {
	out := make([]string, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = f.String()
	}
	return out
}

// Version is one live earlier version of a subject, parsed once and reused
// across checks.
type Version struct {
	Version int
	Schema  schema.Schema
	// RegisteredAt is when the version was registered; deprecation markers
	// first seen in it date from then.
	RegisteredAt time.Time
}

// Policy carries the additive-only policy and the time-dependent inputs
// rules need. Rules never read the clock.
type Policy struct {
	// AdditiveOnly requires every change to be an addition (see Check).
	AdditiveOnly bool
	// Now is the time at which sunsets are judged.
	Now time.Time
	// MinDeprecationPeriod applies to deprecations without a sunset: the
	// element may be removed once it has been deprecated this long.
	MinDeprecationPeriod time.Duration
	// Deprecations are recorded by the registry rather than marked in the
	// schema text; they count like markers in earlier versions.
	Deprecations []RecordedDeprecation
	// StillRead, when set, names the consumers that still read the element
	// at path; an element still read cannot be removed.
	StillRead func(path string) []string
}

// RecordedDeprecation is a deprecation with the time it first appeared.
type RecordedDeprecation struct {
	schema.Deprecation
	Since time.Time
}

// Request is one check: a new schema against the live versions of a
// subject, oldest first.
type Request struct {
	Level   Level
	Policy  Policy
	New     schema.Schema
	History []Version
}

// Check applies req.Level and, if set, the additive-only policy.
//
// Non-transitive levels compare with the latest live version only;
// transitive levels compare with every live version. Under the additive-only
// policy (see AdditivePolicy) the new schema is compared with every live version
// in both directions, findings the policy judges on its own terms are
// dropped, and the policy's own rules run against the history.
//
// The result holds at most MaxFindings findings (see Result.Truncated);
// the cap applies after the policy has dropped what it judges itself.
func Check(req Request) Result {
	res, _ := CheckContext(context.Background(), req)
	return res
}

// CheckContext is Check that stops, with ctx's error, once ctx is done:
// it looks before each comparison with an earlier version and every few
// hundred elements within one, so a client that leaves stops the check of
// a huge schema or of a long history within moments.
func CheckContext(ctx context.Context, req Request) (_ Result, err error) {
	defer catch(&err)
	st := newStopper(ctx)
	var res Result
	if req.New == nil || len(req.History) == 0 {
		return res, ctx.Err()
	}
	c := checkerFor(req.New.Format())
	if c == nil {
		return res, ctx.Err()
	}
	level := req.Level
	targets := req.History
	if req.Policy.AdditiveOnly {
		level = FullTransitive
	} else if !level.Transitive() {
		targets = targets[len(targets)-1:]
	}
	// Under the policy, findings it judges itself are dropped version by
	// version, before the truncation below could count them in place of
	// findings that stand.
	judge := func(fs []Finding) []Finding { return fs }
	if req.Policy.AdditiveOnly {
		pj, _ := c.(policyJudge)
		judge = func(fs []Finding) []Finding {
			fs = policyJudged(fs)
			if pj != nil {
				fs = pj.policyJudged(fs, req.History, req.New, req.Policy)
			}
			return fs
		}
	}
	for i := len(targets) - 1; i >= 0; i-- {
		old := targets[i]
		if old.Schema == nil || old.Schema.Format() != req.New.Format() {
			res.Findings = append(res.Findings, judge([]Finding{formatChangedFinding(old, req.New)})...)
			continue
		}
		var found []Finding
		for _, dir := range []Direction{DirBackward, DirForward} {
			if (dir == DirBackward && !level.Backward()) || (dir == DirForward && !level.Forward()) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return Result{}, fmt.Errorf("checking against version %d: %w", old.Version, err)
			}
			found = append(found, c.compare(st, old, req.New, dir)...)
		}
		res.Findings = append(res.Findings, judge(found)...)
		// Keep memory bounded along a long history, not only at the end.
		if len(res.Findings) > 2*MaxFindings {
			res.Truncate(MaxFindings)
		}
	}
	if req.Policy.AdditiveOnly {
		if err := ctx.Err(); err != nil {
			return Result{}, fmt.Errorf("checking the additive-only policy: %w", err)
		}
		res.Findings = append(res.Findings, c.additive(st, req.History, req.New, req.Policy)...)
	}
	res.Truncate(MaxFindings)
	return res, nil
}

var ruleFormatChanged = newRule(Rule{
	ID:         "SCHEMA_TYPE_CHANGED",
	Purpose:    "A subject's versions must all use the same schema format.",
	Categories: []Category{CategoryBackward, CategoryForward, CategoryWire},
})

func formatChangedFinding(old Version, n schema.Schema) Finding {
	oldFormat := schema.Format("unknown")
	if old.Schema != nil {
		oldFormat = old.Schema.Format()
	}
	return Finding{
		RuleID:   ruleFormatChanged.ID,
		Severity: ruleFormatChanged.Severity,
		Message:  fmt.Sprintf("the schema format changed from %s to %s; readers of one cannot decode the other", oldFormat, n.Format()),
		Version:  old.Version,
	}
}

// formatChecker is implemented once per format.
type formatChecker interface {
	// compare checks old and new in one direction and tags each finding
	// with old.Version and dir.
	// Each method ticks st once per element it visits (see stopper).
	compare(st *stopper, old Version, new schema.Schema, dir Direction) []Finding
	// additive applies the additive-only policy rules to new against the
	// live history (oldest first).
	additive(st *stopper, history []Version, new schema.Schema, p Policy) []Finding
	// diff lists what changed between old and new.
	diff(st *stopper, old, new schema.Schema) []Change
}

func checkerFor(f schema.Format) formatChecker {
	switch f {
	case schema.Avro:
		return avroChecker{}
	case schema.Protobuf:
		return protoChecker{}
	case schema.JSON:
		return jsonChecker{}
	}
	return nil
}

// ChangeKind classifies one entry of a structured diff.
type ChangeKind string

// Change kinds.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// Change is one entry of a structured diff between two versions.
type Change struct {
	Kind ChangeKind
	// Element is what changed: "field", "record", "enum_symbol", "message",
	// "type", "default", "doc", ...
	Element string
	Path    string
	Old     string // the old value, for Removed and Changed
	New     string // the new value, for Added and Changed
	OldPos  schema.Position
	NewPos  schema.Position
}

// Diff lists the differences between old and new, which must share a format.
func Diff(old, new schema.Schema) ([]Change, error) {
	return DiffContext(context.Background(), old, new)
}

// DiffContext is Diff that returns ctx's error, instead of starting or
// going on, once ctx is done.
func DiffContext(ctx context.Context, old, new schema.Schema) (_ []Change, err error) {
	defer catch(&err)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if old.Format() != new.Format() {
		return nil, fmt.Errorf("cannot diff a %s schema with a %s schema", old.Format(), new.Format())
	}
	c := checkerFor(new.Format())
	if c == nil {
		return nil, fmt.Errorf("no diff support for %s schemas", new.Format())
	}
	return c.diff(newStopper(ctx), old, new), nil
}

// Removable reports whether the policy lets an element deprecated by d
// (first seen at since) be removed now, and if not, why not.
func (p Policy) Removable(d schema.Deprecation, since time.Time) (ok bool, why string) {
	switch {
	case !d.Sunset.IsZero():
		if p.Now.Before(d.Sunset) {
			return false, fmt.Sprintf("its sunset date %s has not passed", d.Sunset.Format(time.DateOnly))
		}
	case since.IsZero():
		return false, "the registry does not know when it was deprecated"
	case p.Now.Sub(since) < p.MinDeprecationPeriod:
		return false, fmt.Sprintf("it has been deprecated only since %s, less than the minimum deprecation period of %s",
			since.Format(time.DateOnly), formatDays(p.MinDeprecationPeriod))
	}
	if p.StillRead != nil {
		if readers := p.StillRead(d.Path); len(readers) > 0 {
			return false, "registered consumers still read it: " + strings.Join(readers, ", ")
		}
	}
	return true, ""
}

func formatDays(d time.Duration) string {
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
