package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/schemata-dev/schemata/schema"
	"github.com/schemata-dev/schemata/schema/formats"
)

// project is a loaded schemactl.yaml with its subjects resolved to files.
type project struct {
	cfg *Config
	// dir is the directory holding the config file; file paths are
	// relative to it.
	dir string
	// configFile is the config path as shown to the user; configPath
	// is where it is.
	configFile string
	configPath string
	entries    []*entry
	bySubject  map[string]*entry
	byFile     map[string]*entry // by absolute path
}

// entry is one mapped subject.
type entry struct {
	SubjectConfig
	format schema.Format
	// rel is the file relative to the project dir, slash-separated.
	rel string
	abs string
}

// loadProject finds, reads and validates the config.
func (a *app) loadProject() (*project, error) {
	wd := a.workDir()
	path, err := findConfig(wd, a.configPath)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	display := path
	if rel, err := filepath.Rel(wd, path); err == nil {
		display = rel
	}
	cfg, err := loadConfig(path, display)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	p := &project{
		cfg: cfg, dir: filepath.Dir(path), configFile: display, configPath: path,
		bySubject: map[string]*entry{}, byFile: map[string]*entry{},
	}
	for _, s := range cfg.Subjects {
		f, _ := formatOf(s) // validated by loadConfig
		rel := filepath.ToSlash(filepath.Clean(filepath.FromSlash(s.File)))
		e := &entry{SubjectConfig: s, format: f, rel: rel, abs: filepath.Join(p.dir, filepath.FromSlash(rel))}
		p.entries = append(p.entries, e)
		p.bySubject[s.Subject] = e
		p.byFile[e.abs] = e
	}
	if err := p.checkCycles(); err != nil {
		return nil, &exitError{code: ExitUsage, err: fmt.Errorf("%s: %w", display, err)}
	}
	return p, nil
}

// localDep returns the mapped entry a reference points to, if any: a file
// reference, or a subject reference to a subject mapped in this project.
func (p *project) localDep(r ReferenceConfig) *entry {
	if r.File != "" {
		return p.byFile[filepath.Join(p.dir, filepath.FromSlash(r.File))]
	}
	return p.bySubject[r.Subject]
}

// fileDep returns the entry a file reference points to, or nil for a
// reference to a registered subject version.
func (p *project) fileDep(r ReferenceConfig) *entry {
	if r.File == "" {
		return nil
	}
	return p.localDep(r)
}

// checkCycles rejects references that loop through local files.
func (p *project) checkCycles() error {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[*entry]int{}
	var visit func(e *entry, trail []string) error
	visit = func(e *entry, trail []string) error {
		switch state[e] {
		case visiting:
			return fmt.Errorf("references form a cycle: %v", append(trail, e.Subject))
		case done:
			return nil
		}
		state[e] = visiting
		for _, r := range e.References {
			if d := p.fileDep(r); d != nil {
				if err := visit(d, append(trail, e.Subject)); err != nil {
					return err
				}
			}
		}
		state[e] = done
		return nil
	}
	for _, e := range p.entries {
		if err := visit(e, nil); err != nil {
			return err
		}
	}
	return nil
}

// inReferenceOrder returns es sorted so that every entry comes after the
// local files it references; otherwise config order is kept.
func (p *project) inReferenceOrder(es []*entry) []*entry {
	want := map[*entry]bool{}
	for _, e := range es {
		want[e] = true
	}
	seen := map[*entry]bool{}
	var out []*entry
	var visit func(e *entry)
	visit = func(e *entry) {
		if seen[e] {
			return
		}
		seen[e] = true
		for _, r := range e.References {
			if d := p.fileDep(r); d != nil {
				visit(d)
			}
		}
		if want[e] {
			out = append(out, e)
		}
	}
	for _, e := range p.entries {
		if want[e] {
			visit(e)
		}
	}
	return out
}

// withDependents adds to es every entry that references one of them,
// directly or through other local files: when a referenced schema
// changes, the schemas using it must be checked again.
func (p *project) withDependents(es []*entry) []*entry {
	in := map[*entry]bool{}
	for _, e := range es {
		in[e] = true
	}
	for changed := true; changed; {
		changed = false
		for _, e := range p.entries {
			if in[e] {
				continue
			}
			for _, r := range e.References {
				if d := p.localDep(r); d != nil && in[d] {
					in[e], changed = true, true
					break
				}
			}
		}
	}
	var out []*entry
	for _, e := range p.entries {
		if in[e] {
			out = append(out, e)
		}
	}
	return out
}

// selectSubjects returns the entries named by subjects, or all when none
// are named.
func (p *project) selectSubjects(subjects []string) ([]*entry, error) {
	if len(subjects) == 0 {
		return p.entries, nil
	}
	var out []*entry
	for _, s := range subjects {
		e, ok := p.bySubject[s]
		if !ok {
			return nil, usageErrorf("subject %q is not mapped in %s", s, p.configFile)
		}
		out = append(out, e)
	}
	return out, nil
}

// source reads schema files: the working tree or a baseline.
type source interface {
	// read returns the text of the file at rel (relative to the project
	// dir), or ok=false when the source has no such file.
	read(ctx context.Context, rel string) (text string, ok bool, err error)
	// String describes the source for reports ("git:main", "dir:base").
	String() string
}

// dirSource reads files under a directory.
type dirSource struct {
	root  string
	label string
	// readFile reads a file; nil means os.ReadFile.
	readFile func(name string) ([]byte, error)
}

// read reads rel under the root; an absolute rel (a file given on the
// command line) is read as is.
func (s dirSource) read(_ context.Context, rel string) (string, bool, error) {
	path := filepath.FromSlash(rel)
	if !filepath.IsAbs(path) {
		path = filepath.Join(s.root, path)
	}
	readFile := s.readFile
	if readFile == nil {
		readFile = os.ReadFile
	}
	b, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", rel, err)
	}
	return string(b), true, nil
}

func (s dirSource) String() string { return s.label }

// loadedSource reads each file of a source at most once, however many
// times a command asks for it: a schema is read to be parsed, again as a
// reference of every schema that imports it, and again for the text sent
// to the registry. Every command wraps its sources in one, so a run does
// the file (or git) reads of a project once. It is safe for the parallel
// checks of one run.
type loadedSource struct {
	src   source
	mu    sync.Mutex
	files map[string]*loadedFile
}

// loadedFile is one file's read, done once; readers of the same file
// wait for the first.
type loadedFile struct {
	once sync.Once
	text string
	ok   bool
	err  error
}

// loadOnce wraps src so that each of its files is read once.
func loadOnce(src source) *loadedSource {
	if l, ok := src.(*loadedSource); ok {
		return l
	}
	return &loadedSource{src: src, files: map[string]*loadedFile{}}
}

func (l *loadedSource) read(ctx context.Context, rel string) (string, bool, error) {
	l.mu.Lock()
	f, ok := l.files[rel]
	if !ok {
		f = &loadedFile{}
		l.files[rel] = f
	}
	l.mu.Unlock()
	f.once.Do(func() { f.text, f.ok, f.err = l.src.read(ctx, rel) })
	return f.text, f.ok, f.err
}

func (l *loadedSource) String() string { return l.src.String() }

// workingTree is the project's files as they are on disk, each read once.
func (a *app) workingTree(p *project) source {
	return a.dirSource(p.dir, "working tree")
}

// dirSource is the files under root, each read once.
func (a *app) dirSource(root, label string) source {
	return loadOnce(dirSource{root: root, label: label, readFile: a.readFile})
}

// parseSchema parses text in format; name is the file name Protobuf
// imports resolve against.
func parseSchema(format schema.Format, name, text string, deps []schema.Dependency) (schema.Schema, error) {
	return formats.ParseFile(format, name, text, deps)
}

// depResolver collects the transitive dependencies of a schema, each
// after its own dependencies, as the format parsers want them.
type depResolver struct {
	p   *project
	src source
	// registry resolves references to registered versions; nil when
	// checking without a registry.
	registry *registryCache
	// out and seen accumulate the closure.
	out  []schema.Dependency
	seen map[string]bool
}

// resolve adds the dependencies of e's references.
func (d *depResolver) resolve(ctx context.Context, e *entry) error {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	for _, r := range e.References {
		if d.seen[r.Name] {
			continue
		}
		local := d.p.fileDep(r)
		if local == nil && d.registry == nil {
			local = d.p.localDep(r)
		}
		switch {
		case local != nil:
			if err := d.resolve(ctx, local); err != nil {
				return err
			}
			text, ok, err := d.src.read(ctx, local.rel)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("reference %q: %s has no file %s", r.Name, d.src, local.rel)
			}
			d.add(r.Name, text)
		case d.registry != nil:
			if err := d.resolveRegistered(ctx, r.Name, r.Subject, r.Version); err != nil {
				return err
			}
		default:
			return fmt.Errorf("reference %q names subject %q, which is not mapped in %s; checking without a registry needs every reference to be a local file",
				r.Name, r.Subject, d.p.configFile)
		}
	}
	return nil
}

// resolveRegistered adds a registered version and its own references.
func (d *depResolver) resolveRegistered(ctx context.Context, name, subject string, version int) error {
	if d.seen[name] {
		return nil
	}
	sv, err := d.registry.version(ctx, subject, version)
	if err != nil {
		return fmt.Errorf("reference %q: %w", name, err)
	}
	for _, r := range sv.References {
		if err := d.resolveRegistered(ctx, r.Name, r.Subject, r.Version); err != nil {
			return err
		}
	}
	d.add(name, sv.Schema.Schema)
	return nil
}

func (d *depResolver) add(name, text string) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if !d.seen[name] {
		d.seen[name] = true
		d.out = append(d.out, schema.Dependency{Name: name, Text: text})
	}
}

// sortedSubjects returns the subject names of es, sorted.
func sortedSubjects(es []*entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Subject
	}
	sort.Strings(out)
	return out
}
