package e2e

import (
	"context"
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// Time limits of a registry process's life.
const (
	startTimeout = 60 * time.Second // includes migrating an empty schema
	stopTimeout  = 15 * time.Second
)

// instance is one running registry process.
type instance struct {
	name string
	// url is the base URL the process reported listening on.
	url  string
	cmd  *exec.Cmd
	logs *servertest.LogBuffer
	// exited is closed once the process has been waited for; err is its
	// exit status.
	exited chan struct{}
	err    error
}

// startCluster starts n registry processes on databaseURL at once (so
// that they race to migrate it) on free loopback ports, and waits until
// each has reported its address. The processes are stopped with SIGTERM
// when the test ends, and must then exit cleanly.
func startCluster(t *testing.T, n int, databaseURL string) []*instance {
	t.Helper()
	insts := make([]*instance, n)
	for i := range insts {
		insts[i] = startRegistry(t, string(rune('A'+i)), databaseURL)
	}
	for _, in := range insts {
		in.waitListening(t)
	}
	return insts
}

// startRegistry starts one registry process; call waitListening before
// using its url.
func startRegistry(t *testing.T, name, databaseURL string) *instance {
	t.Helper()
	in := &instance{name: name, logs: &servertest.LogBuffer{}, exited: make(chan struct{})}
	in.cmd = exec.Command(registryBin,
		"--listen", "127.0.0.1:0",
		"--database-url", databaseURL,
		"--log-format", "json",
		"--log-level", "info",
	)
	// The environment must not choose a different store or port.
	in.cmd.Env = []string{}
	in.cmd.Stderr = in.logs
	in.cmd.Stdout = in.logs
	if err := in.cmd.Start(); err != nil {
		t.Fatalf("start registry %s: %v", name, err)
	}
	go func() {
		in.err = in.cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() { in.stop(t) })
	return in
}

// waitListening waits for the process's "registry listening" log line.
func (in *instance) waitListening(t *testing.T) {
	t.Helper()
	deadline := time.After(startTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if addr := in.logs.ListeningAddr(); addr != "" {
			in.url = "http://" + addr
			return
		}
		select {
		case <-in.exited:
			t.Fatalf("registry %s exited before listening (%v); logs:\n%s", in.name, in.err, in.logs)
		case <-deadline:
			t.Fatalf("registry %s did not listen within %s; logs:\n%s", in.name, startTimeout, in.logs)
		case <-tick.C:
		}
	}
}

// stop sends SIGTERM and waits for a clean exit, killing the process if
// it does not stop in time.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	select {
	case <-in.exited:
	default:
		if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			t.Errorf("registry %s: SIGTERM: %v", in.name, err)
		}
		select {
		case <-in.exited:
		case <-time.After(stopTimeout):
			in.cmd.Process.Kill()
			<-in.exited
			t.Errorf("registry %s did not stop within %s of SIGTERM", in.name, stopTimeout)
		}
	}
	if in.err != nil {
		t.Errorf("registry %s exited with %v", in.name, in.err)
	}
	if t.Failed() {
		t.Logf("registry %s logs:\n%s", in.name, in.logs)
	}
}

// withTimeout is a context for one step of a test, bounded by d.
func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
