package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	"github.com/schemata-dev/schemata/srapi"
)

// getLoad sends GET requests for a list of paths, round robin, each
// connection to one target.
type getLoad struct {
	targets []string
	paths   []string
	seq     atomic.Uint64
}

func (g *getLoad) next(conn int) op {
	i := g.seq.Add(1) - 1
	return op{
		method: http.MethodGet,
		url:    g.targets[conn%len(g.targets)] + g.paths[i%uint64(len(g.paths))],
	}
}

// registerNewLoad registers a schema never seen before with every request,
// spreading them over a set of subjects: each request creates a new
// version (and a new global id).
type registerNewLoad struct {
	targets  []string
	subjects []string
	// runID keeps schema names apart across runs on one database.
	runID string
	seq   atomic.Uint64
}

func (g *registerNewLoad) next(conn int) op {
	i := g.seq.Add(1) - 1
	subject := g.subjects[i%uint64(len(g.subjects))]
	return registerOp(g.targets[conn%len(g.targets)], subject, registrationBody(g.runID, i), checkPositiveID)
}

// checkPositiveID accepts a registration answer carrying an id.
func checkPositiveID(body []byte) error {
	id, err := registeredID(body)
	if err == nil && id <= 0 {
		err = fmt.Errorf("id %d", id)
	}
	return err
}

// registerSameLoad re-registers schemas that are already live versions of
// their subjects: every request is answered from what is stored, with the
// id registered at setup.
type registerSameLoad struct {
	targets []string
	// registered holds the schemas, their subjects and their ids.
	registered []registration
	seq        atomic.Uint64
}

// registration is a schema registered under a subject, with its id.
type registration struct {
	subject string
	body    []byte
	id      int
}

func (g *registerSameLoad) next(conn int) op {
	i := g.seq.Add(1) - 1
	r := g.registered[i%uint64(len(g.registered))]
	return registerOp(g.targets[conn%len(g.targets)], r.subject, r.body, func(body []byte) error {
		id, err := registeredID(body)
		if err == nil && id != r.id {
			err = fmt.Errorf("id %d, want %d", id, r.id)
		}
		return err
	})
}

// subjectVersionsPath is the registration route of subject.
func subjectVersionsPath(subject string) string {
	return "/subjects/" + url.PathEscape(subject) + "/versions"
}

// registerOp registers body under subject at the registry target; check
// validates the answer.
func registerOp(target, subject string, body []byte, check func([]byte) error) op {
	return op{
		method:      http.MethodPost,
		url:         target + subjectVersionsPath(subject),
		body:        body,
		contentType: srapi.ContentType,
		check:       check,
	}
}

// registrationBody is the request body registering the i-th schema of a
// run: an Avro record whose name and field name make it unique (both are
// part of Avro's canonical form, so no normalisation merges two of them).
func registrationBody(runID string, i uint64) []byte {
	n := strconv.FormatUint(i, 10)
	return registrationJSON(`{"type":"record","name":"Load_` + runID + `_` + n + `","namespace":"loadgen",` +
		`"fields":[{"name":"f` + n + `","type":"long"}]}`)
}

// registrationJSON is the body registering the Avro schema text.
func registrationJSON(text string) []byte {
	body, err := json.Marshal(srapi.RegisterRequest{Schema: text})
	if err != nil {
		panic(err) // a request of only a schema text always marshals
	}
	return body
}

// registeredID reads the id of a registration answer.
func registeredID(body []byte) (int, error) {
	var resp struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return 0, fmt.Errorf("decode registration answer: %w", err)
	}
	return resp.ID, nil
}

// newRunID returns a short random identifier for the schemas of one run.
func newRunID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// subjectNames returns n subject names under prefix.
func subjectNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + "-" + strconv.Itoa(i) + "-value"
	}
	return out
}

// setCompatibility sets the compatibility level of each subject, so that
// the registrations of a run are not refused as incompatible. It also
// turns off this registry's additive-only policy (the additiveOnly field
// of its config), which applies on top of the level.
func setCompatibility(ctx context.Context, client *http.Client, base string, subjects []string, level string) error {
	body, err := json.Marshal(srapi.ConfigUpdate{Compatibility: level, AdditiveOnly: new(false)})
	if err != nil {
		return err
	}
	for _, s := range subjects {
		if _, err := call(ctx, client, http.MethodPut, base+"/config/"+url.PathEscape(s), body); err != nil {
			return fmt.Errorf("set compatibility of %s: %w", s, err)
		}
	}
	return nil
}

// registerAll registers n fresh schemas over subjects (round robin) and
// returns them with their ids, for register-same.
func registerAll(ctx context.Context, client *http.Client, base, runID string, subjects []string, n int) ([]registration, error) {
	out := make([]registration, n)
	for i := range out {
		r := registration{subject: subjects[i%len(subjects)], body: registrationBody(runID, uint64(i))}
		body, err := call(ctx, client, http.MethodPost, base+subjectVersionsPath(r.subject), r.body)
		if err != nil {
			return nil, fmt.Errorf("register schema %d in %s: %w", i, r.subject, err)
		}
		if r.id, err = registeredID(body); err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// errStatus reports an HTTP answer outside 2xx.
var errStatus = errors.New("unexpected HTTP status")

// call sends one request and returns the body of a 2xx answer.
func call(ctx context.Context, client *http.Client, method, url string, body []byte) ([]byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", srapi.ContentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, url, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return data, fmt.Errorf("%s %s: %w %d: %s", method, url, errStatus, resp.StatusCode, bytes.TrimSpace(data))
	}
	return data, nil
}
