#!/usr/bin/env bash
# Page-view benchmark: starts a release `lieu serve` on a temporary SQLite database filled with
# the starter content (wiki pages and the demo directory), on 127.0.0.1 and a free port, runs
# wrk against a few pages, prints requests/s and p99 for each, and stops the server.
#
#   cargo build --release -p lieu && tests/bench/wrk.sh
#
# LIEU_BIN: the binary (default: release/lieu under CARGO_TARGET_DIR or the repository's target).
# DURATION: seconds per URL (default 10). THREADS / CONNECTIONS: wrk's -t / -c (default 2 / 32).
# Extra arguments replace the default list of paths.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${LIEU_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/lieu}"
duration="${DURATION:-10}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
paths=("$@")
if ((${#paths[@]} == 0)); then
  paths=(/wiki/qu-est-ce-que-france-services /wiki/aide-a-l-edition / /wiki/emploi)
fi

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "no binary at $bin: cargo build --release -p lieu, or set LIEU_BIN" >&2; exit 2; }

source "$root/tests/bench/common.sh"
bench_work lieu-bench

export LIEU_DATABASE_URL="sqlite://$work/lieu.sqlite3" LIEU_CONTENT_DIR="$root/wiki-content" \
  LIEU_LOG=warn LIEU_BACKUP_KEEP=0
BENCH_SERVE_TRIES=150 bench_serve /pages

echo "lieu $("$bin" --version 2>/dev/null | awk '{print $2}') on $base, wrk -t$threads -c$connections -d${duration}s"
printf '%-45s %12s %10s\n' "path" "requests/s" "p99"
for path in "${paths[@]}"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base$path")"
  [[ "$status" == 200 ]] || { echo "$path answered $status" >&2; exit 1; }
  out="$(timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$base$path")"
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx|Socket errors/' <<<"$out")"
  printf '%-45s %12s %10s\n' "$path" "$rps" "$p99"
  [[ -z "$errors" ]] || echo "  $errors"
done
