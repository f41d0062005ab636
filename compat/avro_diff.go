package compat

import "github.com/schemata-dev/schemata/schema/avro"

// avroDiff lists the changes from o to n: fields, named types, enum
// symbols, union branches, types, defaults, docs and deprecation markers,
// each with its paths and positions on both sides.
func avroDiff(st *stopper, o, n *avro.Schema) []Change {
	deltas := avroDeltas(st, o, n)
	out := make([]Change, 0, len(deltas))
	for _, d := range deltas {
		c := Change{
			Kind:    d.kind,
			Element: d.element,
			Path:    d.newPath,
			Old:     d.oldVal,
			New:     d.newVal,
			OldPos:  o.Pos(d.oldPath),
			NewPos:  n.Pos(d.newPath),
		}
		if d.kind == Removed {
			c.Path = d.oldPath
		}
		out = append(out, c)
	}
	return out
}
