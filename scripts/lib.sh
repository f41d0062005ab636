# Shared by the benchmark scripts (sourced, not run).

# The settings every benchmark script takes from the environment (see
# scripts/bench.sh for their meaning).
ADMIN_URL="${SCHEMATA_BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
CONNS="${CONNS:-64}"
WRITERS="${WRITERS:-8}"

# database_url prints the URL of database $1 on the server of $ADMIN_URL,
# keeping its query string.
database_url() {
  local base="${ADMIN_URL%%\?*}" query=""
  [[ "$ADMIN_URL" == *\?* ]] && query="?${ADMIN_URL#*\?}"
  echo "${base%/*}/$1$query"
}

# build_tools DIR: builds cmd/registry and cmd/loadgen into DIR.
build_tools() {
  go build -o "$1/registry" ./cmd/registry
  go build -o "$1/loadgen" ./cmd/loadgen
}

# machine prints the cores, load average and Go version a run measures on.
machine() {
  echo "# $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(go version)"
}
