#!/usr/bin/env bash
# Measures the registry at several store sizes on PostgreSQL and prints
# one table (docs/benchmarks.md, "At scale"). For each size N (schemas,
# 10 versions per subject) on a fresh database:
#
#   writes/s        cmd/loadgen populate: N new versions with $WRITERS writers
#   lookups warm    random GET /schemas/ids/{id} over all N ids, $CONNS connections,
#                   after one read of each id (not measured)
#   re-registers/s  first: each of the N schemas re-registered once, in a
#                   random order (every request new to the registry);
#                   warm: then random idempotent re-registrations of them
#   /subjects       time of one GET /subjects (best of 5)
#   RSS, heap       the process's VmRSS and go_memstats_heap_inuse_bytes
#   restart         stop, start, time until /readyz first answers 200
#   lookups cold    after the restart, each id once in a random order
#
# Usage: scripts/scale.sh [N...]        (default: 1000 10000 100000)
#
# Environment: SCHEMATA_BENCH_ADMIN_URL (as scripts/bench.sh), DURATION
# (default 10s), WARMUP (default 2s), CONNS (default 64), WRITERS (default
# 8), COLD (most ids read in the cold pass, default 20000), CACHE_BYTES
# (--cache-bytes, default the registry's own).
#
# Needs go, curl and psql. Every process it starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

COLD="${COLD:-20000}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

work="$(mktemp -d)"
pid=""
db=""

cleanup() {
  stop_registry
  [ -z "$db" ] || psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

stop_registry() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}

echo "# building cmd/registry and cmd/loadgen" >&2
build_tools "$work"

# start_registry ADDR: starts the registry on ADDR over $db; sets pid.
start_registry() {
  local args=(--listen "$1" --database-url "$(database_url "$db")" --log-format json --log-level warn --audit-log off)
  [ -z "${CACHE_BYTES:-}" ] || args+=(--cache-bytes "$CACHE_BYTES")
  "$work/registry" "${args[@]}" >/dev/null 2>>"$work/registry.log" &
  pid=$!
}

# wait_ready URL: polls /readyz every 5 ms until it answers 200 (60 s at most).
wait_ready() {
  for _ in $(seq 1 12000); do
    if curl -fsS -o /dev/null "$1/readyz" 2>/dev/null; then return 0; fi
    sleep 0.005
  done
  echo "registry at $1 never became ready:" >&2
  cat "$work/registry.log" >&2
  return 1
}

# free_port prints a TCP port free on loopback now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

field() { awk -v k="$1:" '$1 == k || $1" "$2 == k {print $NF}' "$2" | tr -d 'ms'; }
rate() { awk '/^requests\/s:/ {printf "%.0f", $2}' "$1"; }
p99() { awk '/^latency p99:/ {sub("ms","",$3); print $3}' "$1"; }
errors() { awk '/^errors:/ {print $2}' "$1"; }

machine >&2
rows=()
for n in "${SIZES[@]}"; do
  db="schemata_scale_$$_$n"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $db" >/dev/null
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  start_registry "127.0.0.1:$port"
  wait_ready "$url"

  echo "## $n schemas: populate with $WRITERS writers" >&2
  "$work/loadgen" populate -url "$url" -schemas "$n" -versions 10 -c "$WRITERS" -timeout 60s | tee "$work/populate.txt" >&2
  ids="$(awk '/^ids:/ {print $2}' "$work/populate.txt")"

  echo "## $n schemas: random lookups by id (warm: each id read once first)" >&2
  "$work/loadgen" get-ids -url "$url" -ids "$ids" -shuffle -n "$n" -c "$CONNS" -d 10m -warmup 0 >/dev/null
  "$work/loadgen" get-ids -url "$url" -ids "$ids" -c "$CONNS" -d "$DURATION" -warmup "$WARMUP" | tee "$work/warm.txt" >&2

  echo "## $n schemas: re-registrations" >&2
  "$work/loadgen" reregister -url "$url" -schemas "$n" -versions 10 -shuffle -n "$n" -c "$CONNS" -d 10m -warmup 0 | tee "$work/rereg-first.txt" >&2
  "$work/loadgen" reregister -url "$url" -schemas "$n" -versions 10 -c "$CONNS" -d "$DURATION" -warmup "$WARMUP" | tee "$work/rereg.txt" >&2

  best=""
  for _ in 1 2 3 4 5; do
    t="$(curl -fsS -o /dev/null -w '%{time_total}' "$url/subjects")"
    best="$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')"
  done
  list_ms="$(awk -v t="$best" 'BEGIN { printf "%.1f", t * 1000 }')"

  rss_mib="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
  heap_mib="$(curl -fsS "$url/metrics" | awk '/^go_memstats_heap_inuse_bytes / {printf "%.0f", $2 / 1048576}')"

  stop_registry
  t0="$(date +%s.%N)"
  start_registry "127.0.0.1:$port"
  wait_ready "$url"
  t1="$(date +%s.%N)"
  restart_ms="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')"

  cold_n=$(( n < COLD ? n : COLD ))
  echo "## $n schemas: $cold_n ids once each after the restart (cold)" >&2
  "$work/loadgen" get-ids -url "$url" -ids "$ids" -shuffle -n "$cold_n" -c "$CONNS" -d 5m -warmup 0 | tee "$work/cold.txt" >&2

  rows+=("| $n | $(rate "$work/populate.txt") | $(rate "$work/warm.txt") ($(p99 "$work/warm.txt") ms) | $(rate "$work/cold.txt") ($(p99 "$work/cold.txt") ms) | $(rate "$work/rereg-first.txt") | $(rate "$work/rereg.txt") | $list_ms ms | $rss_mib MiB | $heap_mib MiB | $restart_ms ms | $(( $(errors "$work/populate.txt") + $(errors "$work/warm.txt") + $(errors "$work/rereg-first.txt") + $(errors "$work/rereg.txt") + $(errors "$work/cold.txt") )) |")

  stop_registry
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
  db=""
done

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo
echo "| schemas | writes/s | lookups/s warm (p99) | lookups/s cold (p99) | re-registers/s first | re-registers/s warm | GET /subjects | RSS | heap in use | restart | errors |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
