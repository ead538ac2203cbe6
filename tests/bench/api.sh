#!/usr/bin/env bash
# JSON API benchmark (issue 13): a release `lieu serve` on a SQLite database of generated
# entries (100,000 by default), its request budget off, on 127.0.0.1 and a free port; wrk on
# the entries' first page, a deep page reached through its « next » links, a filtered list,
# one entry, the events of a month and a search. Prints requests/s, p50 and p99 for each.
#
#   cargo build --release -p lieu && tests/bench/api.sh
#
# LIEU_BIN: the binary (default: release/lieu under CARGO_TARGET_DIR or the repository's target).
# LIEU_BENCH_DB: a SQLite file already filled (`lieu import wiki-content && lieu generate
#   --entries 100000`), kept; otherwise a temporary one is generated (ENTRIES, default 100,000).
# DEPTH: « next » links followed, 100 entries a page (default 500: the 50,000th entry).
# DURATION: seconds per URL (default 15). WRK_THREADS / CONNECTIONS: wrk's -t / -c (2 / 32).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${LIEU_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/lieu}"
duration="${DURATION:-15}"
wrk_threads="${WRK_THREADS:-2}"
connections="${CONNECTIONS:-32}"
depth="${DEPTH:-500}"

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "no binary at $bin: cargo build --release -p lieu, or set LIEU_BIN" >&2; exit 2; }

source "$root/tests/bench/common.sh"
bench_work lieu-api

export LIEU_LOG=warn LIEU_INDEX_DIR="$work/index" LIEU_MAIL_DIR="$work/mail" LIEU_BACKUP_KEEP=0 \
  LIEU_API_REQUESTS_PER_MINUTE=0
if [[ -n "${LIEU_BENCH_DB:-}" ]]; then
  export LIEU_DATABASE_URL="sqlite://$LIEU_BENCH_DB"
else
  export LIEU_DATABASE_URL="sqlite://$work/lieu.sqlite3"
  "$bin" import "$root/wiki-content" >/dev/null
  "$bin" generate --entries "${ENTRIES:-100000}"
fi

bench_serve /api/v1/communes

# The deep page: « next » followed DEPTH times, as a client walking the list would.
deep="/api/v1/entries?limit=100"
for _ in $(seq "$depth"); do
  next="$(curl -fsS "$base$deep" | python3 -c 'import json, sys; print(json.load(sys.stdin)["next"] or "")')"
  [[ -n "$next" ]] || break
  deep="$next"
done
id="$(curl -fsS "$base/api/v1/entries?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')"
commune="$(curl -fsS "$base/api/v1/communes" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][1]["insee"])')"

echo "lieu $("$bin" --version | awk '{print $2}') on $base, wrk -t$wrk_threads -c$connections -d${duration}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-60s %10s %9s %9s %9s\n' "path" "requests/s" "p50" "p99" "size"
for path in "/api/v1/entries?limit=100" "$deep" "/api/v1/entries?kind=service&commune=$commune&theme=sante" \
  "/api/v1/entries/$id" "/api/v1/events" "/api/v1/search?q=aide%20num%C3%A9rique"; do
  size="$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$base$path")"
  [[ "${size%% *}" == 200 ]] || { echo "$path answered ${size%% *}" >&2; exit 1; }
  out="$(timeout $((duration + 30)) wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency "$base$path")"
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf '%-60s %10s %9s %9s %9s\n' "${path:0:60}" "$rps" "$p50" "$p99" "${size#* }"
  errors="$(awk '/Non-2xx|Socket errors/' <<<"$out")"
  [[ -z "$errors" ]] || echo "  $errors"
done
