#!/usr/bin/env bash
# make console-bench: 10,000 simulated installs against the release console, on SQLite and
# on PostgreSQL, each once undisturbed and once with the console killed (SIGKILL) and
# restarted mid-load. Prints one line per run (events/s, p50/p99 latency, lost, duplicated).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=target/release/examples/bench
C=target/release/draftguard-console
INSTALLS=${INSTALLS:-10000}
ARGS=(--console "$C" --installs "$INSTALLS" --batches 1 --per-batch 10 --concurrency 100 ${BENCH_ARGS:-})
d=$(mktemp -d /tmp/draftguard-bench.XXXXXX)
trap 'rm -rf "$d"' EXIT
echo "━━━ SQLite"
"$B" "${ARGS[@]}" --database "$d/steady.db"
echo "━━━ SQLite, console killed with SIGKILL after 3 s and restarted"
"$B" "${ARGS[@]}" --database "$d/killed.db" --kill-at 3
echo "━━━ PostgreSQL"
console/scripts/with-postgres.sh bash -c '
  set -e
  psql=$(dirname "$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)")/psql
  "$0" "${@}" --database "$DATABASE_URL"
  echo "━━━ PostgreSQL, console killed with SIGKILL after 3 s and restarted"
  "$psql" -q "$DATABASE_URL" -c "CREATE DATABASE killed"
  "$0" "${@}" --database "${DATABASE_URL%/*}/killed" --kill-at 3
' "$B" "${ARGS[@]}"
