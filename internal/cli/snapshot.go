package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/srapi"
)

// snapshot is everything migrate, backup and restore copy: what a
// registry holds, read through its API, or what a backup file holds.
type snapshot struct {
	// GlobalConfig is GET /config as answered, every field kept.
	GlobalConfig map[string]json.RawMessage
	GlobalMode   string
	// Subjects by name.
	Subjects map[string]*subjectState
	// Consumers and Deprecations are this registry's own data; nil when
	// the registry has no such routes.
	Consumers    []srapi.Consumer
	Deprecations []srapi.Deprecation
	// Qualified are the context-qualified subjects the registry listed
	// and that were left out.
	Qualified []string
}

// contextPrefix starts a context-qualified subject name.
const contextPrefix = ":."

// dropQualified leaves out the subjects qualified with a context
// (":.ctx:name"), for a source with contexts, which this registry does
// not have.
func (s *snapshot) dropQualified() {
	for _, name := range s.sortedSubjects() {
		if strings.HasPrefix(name, contextPrefix) {
			s.Qualified = append(s.Qualified, name)
			delete(s.Subjects, name)
		}
	}
}

// subjectState is one subject: its versions (soft-deleted ones too),
// oldest first, and its own config and mode when it has them.
type subjectState struct {
	Name     string
	Versions []versionState
	Config   map[string]json.RawMessage
	Mode     string
}

// versionState is one version of a subject with its schema.
type versionState struct {
	Version int
	ID      int
	Deleted bool
	Schema  srapi.Schema
}

// fingerprint identifies exactly what a version holds, as both sides of
// a copy answer it: type, text byte for byte, references, metadata and
// rule set (JSON compacted, as registries may re-indent it).
func (v versionState) fingerprint() string {
	h := sha256.New()
	refs, _ := json.Marshal(v.Schema.References)
	metadata, _ := json.Marshal(v.Schema.Metadata)
	ruleSet, _ := json.Marshal(v.Schema.RuleSet)
	for _, part := range [][]byte{[]byte(v.Schema.Type()), []byte(v.Schema.Schema), refs, compactJSON(metadata), compactJSON(ruleSet)} {
		h.Write([]byte(strconv.Itoa(len(part))))
		h.Write([]byte{0})
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func compactJSON(raw json.RawMessage) []byte {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// sortedSubjects returns the subject names in order.
func (s *snapshot) sortedSubjects() []string {
	names := make([]string, 0, len(s.Subjects))
	for n := range s.Subjects {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// subject returns the named subject, adding it when new.
func (s *snapshot) subject(name string) *subjectState {
	if s.Subjects == nil {
		s.Subjects = map[string]*subjectState{}
	}
	st, ok := s.Subjects[name]
	if !ok {
		st = &subjectState{Name: name}
		s.Subjects[name] = st
	}
	return st
}

// version returns version n of the subject, or nil.
func (st *subjectState) version(n int) *versionState {
	i, ok := slices.BinarySearchFunc(st.Versions, n, func(v versionState, n int) int { return v.Version - n })
	if !ok {
		return nil
	}
	return &st.Versions[i]
}

func (st *subjectState) sortVersions() {
	slices.SortFunc(st.Versions, func(a, b versionState) int { return a.Version - b.Version })
}

// readParallel bounds the concurrent requests of a registry read.
const readParallel = 8

// readRegistry reads everything a copy needs from the registry c talks
// to. Every schema comes from GET /schemas?deleted=true, which Confluent
// and this registry serve; which versions are soft-deleted, and any the
// listing missed, from each subject's version lists, so that a registry
// whose GET /schemas is missing or ignores deleted is still read in full.
func readRegistry(ctx context.Context, c *client.Client) (*snapshot, error) {
	snap := &snapshot{}
	others, err := contextsBeyondDefault(ctx, c)
	if err != nil {
		return nil, err
	}
	// A registry with other contexts lists them all only when asked.
	prefix := ""
	if len(others) > 0 {
		prefix = srapi.AllContexts
	}
	if snap.GlobalConfig, err = c.RawConfig(ctx, ""); err != nil {
		return nil, err
	}
	// A registry without modes (some Confluent-API ones) has none to copy.
	if snap.GlobalMode, err = c.Mode(ctx, "", nil); err != nil && !routeMissing(err) {
		return nil, err
	}
	all, err := c.Schemas(ctx, &client.SchemasOptions{Prefix: prefix, Deleted: true})
	if err != nil && !routeMissing(err) {
		return nil, err
	}
	byKey := make(map[string]client.SubjectVersion, len(all))
	for _, sv := range all {
		byKey[versionKey(sv.Subject, sv.Version)] = sv
	}
	names, err := c.Subjects(ctx, &client.SubjectsOptions{Prefix: prefix, Deleted: true})
	if err != nil {
		return nil, err
	}
	for _, sv := range all {
		if !slices.Contains(names, sv.Subject) {
			names = append(names, sv.Subject)
		}
	}
	// A context's own config and mode live under ":.ctx:", a subject
	// without versions: read like one, kept when it holds either.
	for _, o := range others {
		names = append(names, srapi.ContextPrefix(o))
	}

	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(readParallel)
	for _, name := range names {
		g.Go(func() error {
			st, err := readSubject(gctx, c, name, byKey)
			if err != nil {
				return err
			}
			if len(st.Versions) == 0 && st.Config == nil && st.Mode == "" {
				return nil
			}
			mu.Lock()
			defer mu.Unlock()
			if snap.Subjects == nil {
				snap.Subjects = map[string]*subjectState{}
			}
			snap.Subjects[name] = st
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := readOwnData(ctx, c, snap); err != nil {
		return nil, err
	}
	return snap, nil
}

func readSubject(ctx context.Context, c *client.Client, name string, listed map[string]client.SubjectVersion) (*subjectState, error) {
	st := &subjectState{Name: name}
	every, err := c.Versions(ctx, name, &client.VersionsOptions{Deleted: true})
	if err != nil && !client.IsNotFound(err) {
		return nil, err
	}
	live, err := c.Versions(ctx, name, nil)
	if err != nil && !client.IsNotFound(err) {
		return nil, err
	}
	for _, n := range every {
		sv, ok := listed[versionKey(name, n)]
		if !ok {
			got, err := c.Version(ctx, name, n, &client.VersionsOptions{Deleted: true})
			if err != nil {
				return nil, err
			}
			sv = *got
		}
		st.Versions = append(st.Versions, versionState{
			Version: n, ID: sv.ID, Deleted: !slices.Contains(live, n), Schema: sv.Schema,
		})
	}
	st.sortVersions()
	cfg, err := c.RawConfig(ctx, name)
	switch {
	case err == nil:
		st.Config = cfg
	case !errors.Is(err, srapi.ErrSubjectCompatNotSet) && !client.IsNotFound(err):
		return nil, err
	}
	mode, err := c.Mode(ctx, name, nil)
	switch {
	case err == nil:
		st.Mode = mode
	case !errors.Is(err, srapi.ErrSubjectModeNotSet) && !client.IsNotFound(err) && !routeMissing(err):
		return nil, err
	}
	return st, nil
}

// readOwnData reads consumers and deprecation records; a registry without
// those routes (any but this one) has none.
func readOwnData(ctx context.Context, c *client.Client, snap *snapshot) error {
	cons, err := c.Consumers(ctx, nil)
	switch {
	case err == nil:
		snap.Consumers = cons
	case !routeMissing(err):
		return err
	}
	deps, err := c.Deprecations(ctx, nil)
	switch {
	case err == nil:
		snap.Deprecations = deps
	case !routeMissing(err):
		return err
	}
	return nil
}

// routeMissing reports whether err is a 404 for a route the registry does
// not serve, as opposed to a missing subject or schema.
func routeMissing(err error) bool {
	var e *client.Error
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound && e.Code < 1000
}

func versionKey(subject string, version int) string {
	return subject + "\x00" + strconv.Itoa(version)
}

// contextsBeyondDefault lists the source's contexts other than the
// default one; a registry without GET /contexts has only the default.
func contextsBeyondDefault(ctx context.Context, c *client.Client) ([]string, error) {
	all, err := c.Contexts(ctx)
	if err != nil {
		if routeMissing(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []string
	for _, name := range all {
		if name != "." && name != "" {
			out = append(out, name)
		}
	}
	return out, nil
}

// describeVersion names a version in messages.
func describeVersion(subject string, v versionState) string {
	return fmt.Sprintf("%s version %d (id %d)", subject, v.Version, v.ID)
}
