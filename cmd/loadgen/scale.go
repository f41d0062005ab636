package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// The scale modes load a store of a given size and measure it at that
// size: populate registers -schemas schemas as -versions versions of
// schemas/versions subjects; get-ids reads them back by id; reregister
// re-registers them. The schemas are a function of the subject prefix
// and their index, so reregister rebuilds exactly what populate sent.

// scaleSubject is the subject of schema i: consecutive indexes go to
// different subjects, so that concurrent writers rarely share one.
func scaleSubject(prefix string, i, subjects int) string {
	return prefix + "-" + strconv.Itoa(i%subjects) + "-value"
}

// scaleBody is the registration body of schema i: an Avro record of
// eight fields, about 450 bytes of schema text, as a typical event.
func scaleBody(prefix string, i int) []byte {
	n := strconv.Itoa(i)
	var b strings.Builder
	b.WriteString(`{"type":"record","name":"Event_` + n + `","namespace":"loadgen.` + prefix + `","doc":"An event of the scale benchmark.","fields":[`)
	for j, t := range []string{"long", "string", "string", "double", "boolean", "long", "string", "int"} {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"field_%d_%s","type":"%s","doc":"field %d"}`, j, n, t, j)
	}
	b.WriteString(`]}`)
	return registrationJSON(b.String())
}

// populateLoad registers schemas 0..n-1 once each and records the range
// of ids the registry assigned.
type populateLoad struct {
	targets  []string
	prefix   string
	subjects int
	seq      atomic.Int64
	minID    atomic.Int64
	maxID    atomic.Int64
}

func (g *populateLoad) next(conn int) op {
	i := int(g.seq.Add(1) - 1)
	target, subject := g.targets[conn%len(g.targets)], scaleSubject(g.prefix, i, g.subjects)
	return registerOp(target, subject, scaleBody(g.prefix, i), func(body []byte) error {
		if err := checkPositiveID(body); err != nil {
			return err
		}
		id, _ := registeredID(body)
		lower(&g.minID, int64(id))
		raise(&g.maxID, int64(id))
		return nil
	})
}

func lower(v *atomic.Int64, n int64) {
	for cur := v.Load(); (cur == 0 || n < cur) && !v.CompareAndSwap(cur, n); cur = v.Load() {
	}
}

func raise(v *atomic.Int64, n int64) {
	for cur := v.Load(); n > cur && !v.CompareAndSwap(cur, n); cur = v.Load() {
	}
}

// picker chooses the next of n items: at random, or with shuffle each
// item once in a random order, again after every pass.
type picker struct {
	n int
	// order is the shuffled items, nil for random picks.
	order []int
	seq   atomic.Uint64
}

func newPicker(n int, shuffle bool) *picker {
	p := &picker{n: n}
	if shuffle {
		p.order = rand.Perm(n)
	}
	return p
}

func (p *picker) next() int {
	if p.order == nil {
		return rand.IntN(p.n)
	}
	i := p.seq.Add(1) - 1
	return p.order[i%uint64(len(p.order))]
}

// getIDsLoad reads schemas by id from a range: at random, or with shuffle
// each id once in a random order (the cold-cache pass after a restart).
type getIDsLoad struct {
	targets []string
	from    int
	pick    *picker
}

func newGetIDsLoad(targets []string, from, to int, shuffle bool) *getIDsLoad {
	return &getIDsLoad{targets: targets, from: from, pick: newPicker(to-from+1, shuffle)}
}

func (g *getIDsLoad) next(conn int) op {
	id := g.from + g.pick.next()
	return op{method: http.MethodGet, url: g.targets[conn%len(g.targets)] + "/schemas/ids/" + strconv.Itoa(id)}
}

// reregisterLoad re-registers schemas populate registered: at random, or
// with shuffle each once in a random order (each request's first
// sighting by the registry).
type reregisterLoad struct {
	targets  []string
	prefix   string
	subjects int
	pick     *picker
}

func (g *reregisterLoad) next(conn int) op {
	i := g.pick.next()
	target, subject := g.targets[conn%len(g.targets)], scaleSubject(g.prefix, i, g.subjects)
	return registerOp(target, subject, scaleBody(g.prefix, i), checkPositiveID)
}

// parseIDRange reads "FROM-TO", 1 ≤ FROM ≤ TO.
func parseIDRange(s string) (from, to int, err error) {
	a, b, ok := strings.Cut(s, "-")
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || from < 1 || to < from {
		return 0, 0, fmt.Errorf("-ids %q: want FROM-TO with 1 <= FROM <= TO", s)
	}
	return from, to, nil
}

// setGlobalNone sets the global compatibility to NONE without the
// additive-only policy, so that populate's versions are all accepted.
func setGlobalNone(ctx context.Context, client *http.Client, base string) error {
	_, err := call(ctx, client, http.MethodPut, base+"/config", []byte(`{"compatibility":"NONE","additiveOnly":false}`))
	return err
}
