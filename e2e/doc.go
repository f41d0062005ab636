// Package e2e holds the registry's end-to-end tests: they build the real
// cmd/registry binary, run several registry processes on one PostgreSQL
// database and check, over HTTP only, what every client of the Confluent
// API relies on (unique ids, gapless versions, writes visible from every
// instance, cache invalidation across processes). It also holds the Go
// benchmarks used to profile the lookup and registration paths (see
// docs/benchmarks.md).
//
// The package has no code outside its tests and nothing may import it.
// Its multi-process tests talk to the registry through HTTP and the
// command line alone; they use storage/postgres/pgtest only to obtain a
// fresh PostgreSQL schema. The PostgreSQL database comes from
// SCHEMATA_TEST_DATABASE_URL; when it is unreachable the tests fail,
// they never skip.
package e2e
