package compat

import (
	"fmt"

	"github.com/schemata-dev/schemata/schema"
)

// protoChecker applies the Protobuf rules. It follows Confluent's Protobuf
// compatibility check (the provider's SchemaDiff): a backward check compares
// the old schema as writer with the new one as reader, a forward check swaps
// the roles. Rules that Confluent does not have (field and enum value
// renumbering, JSON-visible renames, required-ness changes) are documented
// with their rule.
type protoChecker struct{}

func (protoChecker) compare(st *stopper, old Version, new schema.Schema, dir Direction) []Finding {
	om, nm := protoModel(old.Schema), protoModel(new)
	if om == nil || nm == nil {
		return nil
	}
	c := newProtoCompare(om, nm, old.Version, dir)
	c.st = st
	c.run()
	return c.findings
}

func (protoChecker) additive(st *stopper, history []Version, new schema.Schema, p Policy) []Finding {
	if len(history) == 0 {
		return nil
	}
	latest := history[len(history)-1]
	om, nm := protoModel(latest.Schema), protoModel(new)
	if om == nil || nm == nil {
		return nil
	}
	a := &protoAdditive{st: st, old: om, new: nm, history: history, policy: p, version: latest.Version}
	a.run()
	return a.findings
}

func (protoChecker) diff(st *stopper, old, new schema.Schema) []Change {
	om, nm := protoModel(old), protoModel(new)
	if om == nil || nm == nil {
		return nil
	}
	return protoDiff(st, om, nm)
}

// protoCompare holds one directional comparison: the writer's schema
// produced the data, the reader's schema decodes it.
type protoCompare struct {
	st       *stopper
	old, new *pbModel
	w, r     *pbModel
	version  int
	dir      Direction
	// seen holds the referenced-file message pairs already compared.
	seen     map[[2]string]bool
	findings []Finding
}

func newProtoCompare(old, new *pbModel, version int, dir Direction) *protoCompare {
	c := &protoCompare{old: old, new: new, version: version, dir: dir, seen: map[[2]string]bool{}}
	c.w, c.r = old, new
	if dir == DirForward {
		c.w, c.r = new, old
	}
	return c
}

// side names one schema of the comparison in messages.
func (c *protoCompare) side(m *pbModel) string {
	if m == c.new {
		return "the new schema"
	}
	return fmt.Sprintf("version %d", c.version)
}

// cannot opens a message: "<reader> cannot read data written with <writer>".
func (c *protoCompare) cannot() string {
	return fmt.Sprintf("%s cannot read data written with %s", c.side(c.r), c.side(c.w))
}

// report adds a finding; wPath/rPath locate the element in the writer's and
// the reader's schema ("" when it exists on one side only).
func (c *protoCompare) report(r Rule, path, wPath, rPath, msg string) {
	c.st.tick()
	var wPos, rPos schema.Position
	if wPath != "" {
		wPos = c.w.pos(wPath)
	}
	if rPath != "" {
		rPos = c.r.pos(rPath)
	}
	f := Finding{
		RuleID:    r.ID,
		Severity:  r.Severity,
		Path:      path,
		Message:   msg,
		Version:   c.version,
		Direction: c.dir,
		New:       rPos,
		Old:       wPos,
	}
	if c.dir == DirForward {
		f.New, f.Old = wPos, rPos
	}
	newPath := rPath
	if c.dir == DirForward {
		newPath = wPath
	}
	if newPath == "" && path != "" {
		// The element is missing from the new schema: point at what held it.
		f.New = nearestPos(c.new.s, path)
	}
	markEnclosing(&f, c.new.s)
	c.findings = append(c.findings, f)
}
