package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestPopulateThenReregisterTheSameSchemas(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"populate", "-url", url, "-schemas", "40", "-versions", "10", "-c", "4"}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "ids: 1-40\n") || !strings.Contains(stdout.String(), "requests:    40\n") {
		t.Errorf("populate printed %q, want 40 requests and ids 1-40", stdout.String())
	}
	if len(fake.ids) != 40 || fake.levels[""] != "NONE" {
		t.Errorf("server holds %d schemas, global level %q; want 40 at NONE", len(fake.ids), fake.levels[""])
	}
	for s := range 4 {
		if n := fake.count(fmt.Sprintf("POST /subjects/scale-%d-value/versions", s)); n != 10 {
			t.Errorf("subject %d got %d registrations, want 10", s, n)
		}
	}

	code, rep, errs := runJSON(t, "reregister", "-url", url, "-schemas", "40", "-versions", "10", "-n", "100", "-c", "4", "-warmup", "0")
	if code != exitOK || rep.Requests != 100 || rep.Errors != 0 {
		t.Fatalf("exit %d, report %+v: %s", code, rep, errs)
	}
	if len(fake.ids) != 40 {
		t.Errorf("re-registering sent %d new schemas", len(fake.ids)-40)
	}
}

func TestGetIDsShuffleReadsEachIDOnce(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	code, rep, stderr := runJSON(t, "get-ids", "-url", url, "-ids", "5-24", "-shuffle", "-n", "20", "-c", "3", "-warmup", "0")
	if code != exitOK || rep.Requests != 20 {
		t.Fatalf("exit %d, report %+v: %s", code, rep, stderr)
	}
	for id := 5; id <= 24; id++ {
		if n := fake.count(fmt.Sprintf("GET /schemas/ids/%d", id)); n != 1 {
			t.Errorf("id %d read %d times, want once", id, n)
		}
	}
}

func TestScaleFlagsAreChecked(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"populate", "-schemas", "15", "-versions", "10"},
		{"reregister", "-schemas", "0"},
		{"get-ids", "-ids", "9-3"},
		{"get-ids", "-ids", "x"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestReregisterShuffleSendsEachSchemaOnce(t *testing.T) {
	t.Parallel()
	fake, url := newFakeRegistry(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"populate", "-url", url, "-schemas", "40", "-versions", "10", "-c", "4"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("populate: exit %d: %s", code, stderr.String())
	}
	code, rep, errs := runJSON(t, "reregister", "-url", url, "-schemas", "40", "-versions", "10", "-shuffle", "-n", "40", "-c", "3", "-warmup", "0")
	if code != exitOK || rep.Requests != 40 || rep.Errors != 0 {
		t.Fatalf("exit %d, report %+v: %s", code, rep, errs)
	}
	// Each subject holds ten schemas: one pass sends each of them once.
	for s := range 4 {
		if n := fake.count(fmt.Sprintf("POST /subjects/scale-%d-value/versions", s)); n != 20 {
			t.Errorf("subject %d got %d registrations in all, want 10 from populate and 10 from one pass", s, n)
		}
	}
	if len(fake.ids) != 40 {
		t.Errorf("re-registering sent %d new schemas", len(fake.ids)-40)
	}
}
