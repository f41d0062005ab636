package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/schemata-dev/schemata/client"
	"github.com/schemata-dev/schemata/schema"
)

// registryURL returns the registry URL: --registry, else
// $SCHEMACTL_REGISTRY, else the config file's.
func (a *app) registryURL(p *project) (string, error) {
	switch {
	case a.registry != "":
		return a.registry, nil
	case a.getenv(EnvRegistry) != "":
		return a.getenv(EnvRegistry), nil
	case p != nil && p.cfg.Registry != "":
		return p.cfg.Registry, nil
	}
	return "", usageErrorf("no registry URL: set registry in %s, $%s or --registry", ConfigFileName, EnvRegistry)
}

// newClient builds a registry client. Credentials come from the
// environment only.
func (a *app) newClient(p *project) (*client.Client, error) {
	u, err := a.registryURL(p)
	if err != nil {
		return nil, err
	}
	return a.clientAt(u, EnvToken, EnvUser, EnvPassword)
}

// clientAt builds a client of the registry at u, with the credentials in
// the environment variables named.
func (a *app) clientAt(u, envToken, envUser, envPassword string) (*client.Client, error) {
	opts := []client.Option{
		client.WithUserAgent("schemactl/" + version()),
		client.WithTimeout(a.timeout),
		client.WithLogger(a.logger()),
	}
	hc := a.httpClient
	if hc == nil {
		// Keep a connection per parallel check alive: the default of two
		// idle connections per host makes parallel checks reconnect for
		// nearly every request.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxParallel
		hc = &http.Client{Transport: t}
	}
	opts = append(opts, client.WithHTTPClient(hc))
	token, user, password := a.getenv(envToken), a.getenv(envUser), a.getenv(envPassword)
	switch {
	case token != "" && user != "":
		return nil, usageErrorf("set either $%s or $%s/$%s, not both", envToken, envUser, envPassword)
	case token != "":
		opts = append(opts, client.WithBearerToken(token))
	case user != "":
		opts = append(opts, client.WithBasicAuth(user, password))
	}
	c, err := client.New(u, opts...)
	if err != nil {
		return nil, &exitError{code: ExitUsage, err: err}
	}
	return c, nil
}

// optionalClient builds a registry client for the commands that need no
// schemactl.yaml, only a registry URL: the config is read if there is one.
func (a *app) optionalClient() (*client.Client, error) {
	p, err := a.optionalProject()
	if err != nil {
		return nil, err
	}
	return a.newClient(p)
}

// maxParallel bounds --jobs, and the idle connections kept per host.
const maxParallel = 64

// registryExit classifies a registry error: unreachable or server errors
// are ExitRegistry; refusals that point at the user's input or
// credentials are ExitUsage.
func registryExit(err error) int {
	var e *client.Error
	switch {
	case errors.As(err, &e) && e.StatusCode >= http.StatusInternalServerError:
		return ExitRegistry
	case errors.As(err, &e):
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitUsage
	}
	return ExitRegistry
}

// reachRegistry asks the registry for its subjects once, before any
// subject is worked on, so that a registry that cannot answer (wrong URL,
// down, missing or insufficient credentials) is reported once, with a
// hint at the usual cause, rather than once per subject.
func reachRegistry(ctx context.Context, rc *registryCache) error {
	if _, err := rc.subjectExists(ctx, ""); err != nil {
		return &exitError{code: registryExit(err), err: fmt.Errorf("%w\nhint: %s", err, registryHint(err))}
	}
	return nil
}

// registryHint names the usual cause of a registry error.
func registryHint(err error) string {
	var e *client.Error
	switch {
	case errors.As(err, &e) && e.StatusCode == http.StatusUnauthorized:
		return "the registry wants credentials: set SCHEMACTL_TOKEN, or SCHEMACTL_USER and SCHEMACTL_PASSWORD (in CI, from a secret)"
	case errors.As(err, &e) && e.StatusCode == http.StatusForbidden:
		return "the credentials are valid but may not read this registry's subjects: ask for a reader grant"
	case errors.As(err, &e) && e.StatusCode == http.StatusNotFound:
		return "the URL does not answer as a schema registry: give its root URL, with no path such as /subjects"
	case errors.As(err, &e) && e.StatusCode >= http.StatusInternalServerError:
		return "the registry failed to answer: try again, or see its logs"
	case errors.As(err, &e):
		return "the registry refused the request"
	}
	return "check the registry URL (registry: in schemactl.yaml, $SCHEMACTL_REGISTRY or --registry) and that it is reachable from here"
}

// registryError wraps err with its exit code.
func registryError(err error) error {
	return &exitError{code: registryExit(err), err: err}
}

// registryCache memoizes registry reads shared by concurrent checks: the
// versions references point at, and whether a local file's text is
// registered.
type registryCache struct {
	c *client.Client
	p *project

	subjects call[map[string]bool]

	mu       sync.Mutex
	versions map[string]*call[*client.SubjectVersion]
	lookups  map[*entry]*call[int]
}

// call is one memoized computation, shared by every goroutine asking.
type call[T any] struct {
	once sync.Once
	val  T
	err  error
}

func newRegistryCache(c *client.Client, p *project) *registryCache {
	return &registryCache{c: c, p: p, versions: map[string]*call[*client.SubjectVersion]{}, lookups: map[*entry]*call[int]{}}
}

// openRegistry builds a client of p's registry and the cache the checks
// of one run share.
func (a *app) openRegistry(p *project) (*registryCache, error) {
	c, err := a.newClient(p)
	if err != nil {
		return nil, err
	}
	return newRegistryCache(c, p), nil
}

// version fetches subject's version (client.Latest allowed) once.
func (rc *registryCache) version(ctx context.Context, subject string, v int) (*client.SubjectVersion, error) {
	key := fmt.Sprintf("%s\x00%d", subject, v)
	rc.mu.Lock()
	c, ok := rc.versions[key]
	if !ok {
		c = &call[*client.SubjectVersion]{}
		rc.versions[key] = c
	}
	rc.mu.Unlock()
	c.once.Do(func() { c.val, c.err = rc.c.Version(ctx, subject, v, nil) })
	return c.val, c.err
}

// subjectExists reports whether subject has live versions; the subject
// list is fetched once per run.
func (rc *registryCache) subjectExists(ctx context.Context, subject string) (bool, error) {
	c := &rc.subjects
	c.once.Do(func() {
		names, err := rc.c.Subjects(ctx, nil)
		if err != nil {
			c.err = err
			return
		}
		c.val = make(map[string]bool, len(names))
		for _, n := range names {
			c.val[n] = true
		}
	})
	return c.val[subject], c.err
}

// registeredVersion returns the version of e's subject that holds the
// working-tree text of e, or 0 when it is not registered.
func (rc *registryCache) registeredVersion(ctx context.Context, e *entry, src source) (int, error) {
	rc.mu.Lock()
	c, ok := rc.lookups[e]
	if !ok {
		c = &call[int]{}
		rc.lookups[e] = c
	}
	rc.mu.Unlock()
	c.once.Do(func() {
		text, refs, _, err := rc.wireSchema(ctx, e, src)
		if err != nil {
			c.err = err
			return
		}
		sv, err := rc.c.Lookup(ctx, e.Subject, client.Schema{Schema: text, SchemaType: schemaType(e.format), References: refs},
			&client.LookupOptions{Normalize: e.Normalize})
		switch {
		case client.IsNotFound(err):
		case err != nil:
			c.err = err
		default:
			c.val = sv.Version
		}
	})
	return c.val, c.err
}

// forget drops what is known about e, after registering it.
func (rc *registryCache) forget(e *entry) {
	rc.mu.Lock()
	delete(rc.lookups, e)
	rc.mu.Unlock()
}

// wireSchema returns e's text and the references to send with it. A
// reference to a local file becomes a reference to the version of the
// file's subject that holds its current text; when that text is not
// registered yet, to the subject's latest version, and notes say so.
func (rc *registryCache) wireSchema(ctx context.Context, e *entry, src source) (text string, refs []client.Reference, notes []string, err error) {
	text, ok, err := src.read(ctx, e.rel)
	if err != nil {
		return "", nil, nil, err
	}
	if !ok {
		return "", nil, nil, fmt.Errorf("%s: no such file", e.rel)
	}
	for _, r := range e.References {
		dep := rc.p.fileDep(r)
		if dep == nil {
			refs = append(refs, client.Reference{Name: r.Name, Subject: r.Subject, Version: r.Version})
			continue
		}
		v, err := rc.registeredVersion(ctx, dep, src)
		if err != nil {
			return "", nil, nil, fmt.Errorf("reference %q: %w", r.Name, err)
		}
		if v == 0 {
			latest, err := rc.version(ctx, dep.Subject, client.Latest)
			if err != nil {
				return "", nil, nil, fmt.Errorf("reference %q: %s is not registered: %w", r.Name, dep.Subject, err)
			}
			v = latest.Version
			notes = append(notes, fmt.Sprintf("reference %q: the local %s is not registered yet; used %s version %d",
				r.Name, dep.rel, dep.Subject, v))
		}
		refs = append(refs, client.Reference{Name: r.Name, Subject: dep.Subject, Version: v})
	}
	return text, refs, notes, nil
}

// schemaType spells a format as the API's schemaType field; Avro is left
// empty, as Confluent clients send it.
func schemaType(f schema.Format) string {
	if f == schema.Avro {
		return ""
	}
	return string(f)
}

// joinNotes renders notes as one message.
func joinNotes(notes []string) string { return strings.Join(notes, "; ") }
