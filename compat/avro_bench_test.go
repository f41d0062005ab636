package compat

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// genAvroRecord writes a one-line record of n fields of type typ, the form
// in which the registry stores Avro schemas.
func genAvroRecord(n int, typ string) string {
	var b strings.Builder
	b.WriteString(`{"type":"record","name":"Wide","namespace":"bench","fields":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"f%d","type":%q,"doc":"field %d, ünïcödé"}`, i, typ, i)
	}
	b.WriteString("]}")
	return b.String()
}

// BenchmarkAvroCheck16kChangedFields checks a version that changes the
// type of every one of 16,384 fields under the additive-only policy: every
// field yields a located finding (forward resolution and the policy), so
// the cost of locating findings dominates.
func BenchmarkAvroCheck16kChangedFields(b *testing.B) {
	const n = 16 << 10
	old := mustAvro(b, genAvroRecord(n, "int"))
	new := mustAvro(b, genAvroRecord(n, "long"))
	req := additiveRequest(Backward, old, new, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	b.ReportAllocs()
	for b.Loop() {
		res := Check(req)
		// Every finding is computed and located; the result keeps the
		// first MaxFindings and counts the rest.
		if got := len(res.Findings) + res.Truncated; got != 2*n {
			b.Fatalf("got %d findings, want %d", got, 2*n)
		}
		if last := res.Findings[len(res.Findings)-1]; !last.New.IsValid() || !last.Old.IsValid() {
			b.Fatalf("finding not located: %v", last)
		}
	}
}

// BenchmarkAvroCheck16kRemovedFields removes 16,384 fields, half of them
// deprecated long enough ago, under the additive-only policy: every
// removal is judged against the history's deprecations and the other half
// is reported, located at the record that held them.
func BenchmarkAvroCheck16kRemovedFields(b *testing.B) {
	const n = 16 << 10
	var old strings.Builder
	old.WriteString(`{"type":"record","name":"Wide","namespace":"bench","fields":[{"name":"id","type":"string"}`)
	for i := range n {
		dep := ""
		if i%2 == 0 {
			dep = `,"deprecated":true`
		}
		fmt.Fprintf(&old, `,{"name":"f%d","type":"int","default":0%s}`, i, dep)
	}
	old.WriteString("]}")
	o := mustAvro(b, old.String())
	new := mustAvro(b, `{"type":"record","name":"Wide","namespace":"bench","fields":[{"name":"id","type":"string"}]}`)
	req := additiveRequest(Backward, o, new, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 30*24*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		res := Check(req)
		if got := len(res.Findings) + res.Truncated; got != n/2 {
			b.Fatalf("got %d findings, want %d", got, n/2)
		}
		if f := res.Findings[0]; !f.NewEnclosing || !f.New.IsValid() {
			b.Fatalf("removal not located at its record: %+v", f)
		}
	}
}
