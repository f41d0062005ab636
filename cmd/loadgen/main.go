// Command loadgen drives HTTP load at a schema registry and reports
// throughput and latency percentiles. It is the tool behind
// docs/benchmarks.md and scripts/bench.sh.
//
//	loadgen get           [flags]  GET a list of paths, round robin
//	loadgen register-new  [flags]  register a fresh schema per request
//	loadgen register-same [flags]  re-register already registered schemas
//	loadgen bare          [flags]  serve fixed bytes with a bare net/http handler
//
// Each load mode keeps -c connections busy for -d (closed loop: every
// connection sends its next request when the previous one is answered)
// and prints requests/s, p50/p90/p99/max latency and error counts as
// aligned text, or as JSON with -json. Run "loadgen MODE -h" for the flags
// of a mode.
//
// loadgen speaks plain HTTP to the registry's Confluent-compatible API;
// it imports no package of this module, so it measures the server as any
// client sees it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
