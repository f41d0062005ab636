# Shared by the benchmark scripts (sourced, not run).

# database_url prints the URL of database $1 on the server of $ADMIN_URL,
# keeping its query string.
database_url() {
  local base="${ADMIN_URL%%\?*}" query=""
  [[ "$ADMIN_URL" == *\?* ]] && query="?${ADMIN_URL#*\?}"
  echo "${base%/*}/$1$query"
}
