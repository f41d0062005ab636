// Command registry runs the schema registry server: a Confluent Schema
// Registry compatible HTTP API over PostgreSQL or an embedded store.
//
//	registry [flags]                 serve
//	registry migrate up|down|status  manage the database schema
//
// Every flag can also be set by a REGISTRY_<NAME> environment variable
// and in a YAML file given with --config; see registry --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
