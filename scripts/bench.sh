#!/usr/bin/env bash
# Reproduces the figures of docs/benchmarks.md: the registry binary under
# load from cmd/loadgen, on PostgreSQL and on the embedded store.
#
#   (a) GET /schemas/ids/{id} at $CONNS connections, next to a bare net/http
#       handler serving the same bytes (goal: >= 0.7x its requests/s);
#   (b) new versions/s with $WRITERS writers, PostgreSQL only (goal >= 1,000/s);
#   (c) idempotent re-registrations/s at $CONNS connections (goal >= 10,000/s).
#
# Usage: scripts/bench.sh [postgres] [embedded]    (default: both)
#
# Environment:
#   SCHEMATA_BENCH_ADMIN_URL  a PostgreSQL database to connect to while
#                             creating and dropping the benchmark's own
#                             database (default
#                             postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
#   DURATION  measured seconds per run (default 10s); WARMUP (default 2s)
#   CONNS     connections for (a) and (c) (default 64); WRITERS for (b) (default 8)
#   ROUNDS    how many times (a) alternates registry and bare runs (default 2)
#
# Needs go, curl and psql. Everything runs on loopback; every process the
# script starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ROUNDS="${ROUNDS:-2}"
STORES=("$@")
[ ${#STORES[@]} -gt 0 ] || STORES=(postgres embedded)

work="$(mktemp -d)"
db="schemata_bench_$$"
pids=()
created_db=""

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$created_db" ]; then
    psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "# building cmd/registry and cmd/loadgen"
build_tools "$work"

# wait_for FILE PATTERN: waits up to 60 s for a line matching PATTERN in
# FILE and prints the first one.
wait_for() {
  for _ in $(seq 1 600); do
    if grep -m1 -E "$2" "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for /$2/ in $1:" >&2
  cat "$1" >&2
  return 1
}

# start_registry STORE: starts the registry and sets REGISTRY_URL.
start_registry() {
  local args=(--listen 127.0.0.1:0 --log-format json --log-level info)
  case "$1" in
    postgres) args+=(--database-url "$(database_url "$db")") ;;
    embedded) args+=(--data-dir "$work/data-$1") ;;
  esac
  # The audit trail of every write is produced as in production, then
  # discarded with the rest of standard output.
  "$work/registry" "${args[@]}" >/dev/null 2>"$work/registry-$1.log" &
  pids+=($!)
  local line
  line="$(wait_for "$work/registry-$1.log" '"msg":"registry listening"')"
  REGISTRY_URL="http://$(sed -E 's/.*"addr":"([^"]+)".*/\1/' <<<"$line")"
}

# loadgen MODE ARGS...: runs one measurement and prints its report; a run
# with failed requests is reported and the script goes on.
loadgen() {
  local mode="$1"
  shift
  "$work/loadgen" "$mode" -d "$DURATION" -warmup "$WARMUP" "$@" | tee "$work/last.txt" ||
    echo "(loadgen exited with status $?: some requests failed, see errors above)"
}

rate() { awk '/^requests\/s:/ {print $2}' "$work/last.txt"; }

machine
for store in "${STORES[@]}"; do
  if [ "$store" = postgres ]; then
    psql "$ADMIN_URL" -qc "CREATE DATABASE $db" >/dev/null
    created_db=1
  fi
  start_registry "$store"
  echo
  echo "## $store store: registry at $REGISTRY_URL"

  # One schema to read back, and the bare handler serving its exact bytes.
  schema='{"schema":"{\"type\":\"record\",\"name\":\"Bench\",\"namespace\":\"bench\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"}]}"}'
  id="$(curl -fsS -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data "$schema" "$REGISTRY_URL/subjects/bench-read-value/versions" | sed -E 's/.*"id":([0-9]+).*/\1/')"
  "$work/loadgen" bare -from "$REGISTRY_URL/schemas/ids/$id" -listen 127.0.0.1:0 -for 30m >"$work/bare-$store.out" &
  pids+=($!)
  bare_url="$(wait_for "$work/bare-$store.out" '^bare listening on ' | sed 's/^bare listening on //')"

  for round in $(seq 1 "$ROUNDS"); do
    echo
    echo "### (a) GET /schemas/ids/$id, round $round: registry"
    loadgen get -url "$REGISTRY_URL" -path "/schemas/ids/$id" -c "$CONNS"
    registry_rate="$(rate)"
    echo
    echo "### (a) GET /schemas/ids/$id, round $round: bare net/http handler, same bytes"
    loadgen get -url "$bare_url" -path "/schemas/ids/$id" -c "$CONNS"
    bare_rate="$(rate)"
    awk -v r="$registry_rate" -v b="$bare_rate" 'BEGIN { if (b > 0) printf "ratio registry/bare: %.2f (goal >= 0.70)\n", r / b }'
  done

  if [ "$store" = postgres ]; then
    echo
    echo "### (b) new versions, $WRITERS writers"
    loadgen register-new -url "$REGISTRY_URL" -c "$WRITERS"
  fi

  echo
  echo "### (c) idempotent re-registrations, $CONNS connections"
  loadgen register-same -url "$REGISTRY_URL" -c "$CONNS"
done
