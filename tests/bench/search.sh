#!/usr/bin/env bash
# The directory and search at the size of a département (issue 8): a release `lieu` on a SQLite
# database of 100,000 generated entries (plus the starter content), with wrk on every public
# list page, the results page and the suggestions, one after the other.
#
#   tests/bench/search.sh                       # builds, generates, measures (not part of CI)
#   LIEU_BENCH_DB=/tmp/lieu-100k.sqlite3 tests/bench/search.sh
#
# LIEU_BENCH_DB: a database to reuse; when the file does not exist yet, it is generated there and
#   kept for the next run (generating 100,000 entries takes minutes). Without it, a temporary
#   database is generated and deleted at the end. The index is always rebuilt in a temporary
#   folder, by `lieu reindex`, whose rate is reported.
# ENTRIES: entries generated in a new database (default 100000).
# LIEU_BIN: the binary; when unset, `cargo build --release -p lieu` runs first.
# DURATION: seconds per URL (default 10). THREADS / CONNECTIONS: wrk's -t / -c (default 2 / 32).
# GZIP: 1 (default) sends `Accept-Encoding: gzip` as browsers do; 0 does not.
# Extra arguments replace the default list of paths.
#
# Prints, per path: status, size (bytes as sent without and with gzip), requests/s, p50, p99.
# The same address asked again is answered from what lieu keeps (until the content changes);
# with the default paths, two more runs ask a different question at every request (random
# pages of random lists, random searches: tests/bench/distinct.lua), what a question costs the
# first time. Then the server's resident memory idle, after the load, and at its peak (VmHWM).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
entries="${ENTRIES:-100000}"
duration="${DURATION:-10}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
gzip="${GZIP:-1}"

if ! command -v wrk >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
  else
    echo "wrk is needed (apt-get install wrk)" >&2
    exit 2
  fi
fi
if [[ -z "${LIEU_BIN:-}" ]]; then
  (cd "$root" && cargo build --release -p lieu)
fi
bin="${LIEU_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/lieu}"
[[ -x "$bin" ]] || { echo "no binary at $bin" >&2; exit 2; }

source "$root/tests/bench/common.sh"
bench_work lieu-search-bench

db="${LIEU_BENCH_DB:-$work/lieu.sqlite3}"
export LIEU_DATABASE_URL="sqlite://$db"
export LIEU_INDEX_DIR="$work/index" LIEU_BACKUP_KEEP=0
export LIEU_CONTENT_DIR="$root/wiki-content"
export LIEU_LOG=warn
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

if [[ -f "$db" ]]; then
  echo "database: $db (reused)"
else
  echo "database: $db (new: the starter content and $entries generated entries)"
  "$bin" import "$root/wiki-content" | tail -n 1
  started="$(date +%s.%N)"
  "$bin" generate --entries "$entries" | tail -n 1
  took="$(seconds_since "$started")"
  echo "generate: $entries entries in $took s ($(awk -v n="$entries" -v s="$took" 'BEGIN { printf "%.0f", n / s }') entries/s)"
fi

started="$(date +%s.%N)"
"$bin" reindex | tail -n 1
echo "reindex, wall clock with start-up: $(seconds_since "$started") s"

BENCH_SERVE_TRIES=600 bench_serve /annuaire
sleep 2
rss() { awk -v k="$1:" '$1 == k { printf "%.1f MB", $2 / 1024 }' "/proc/$server/status"; }
rss_idle="$(rss VmRSS)"

paths=("$@")
if ((${#paths[@]} == 0)); then
  # The services list's last page, read from its pagination (« Page 1 / N »).
  last="$(curl -s "$base/annuaire/services" | grep -o 'Page 1 / [0-9]*' | head -n 1 | awk '{print $4}')"
  # A commune of the territory, for the results page's facet.
  commune="$(grep -o 'insee = "[0-9AB]*"' "$root/wiki-content/territory.toml" | head -n 1 | cut -d '"' -f 2)"
  paths=(
    /annuaire
    /annuaire/services
    /annuaire/services?page=2000
  )
  if [[ -n "$last" && "$last" != 2000 ]]; then paths+=("/annuaire/services?page=$last"); fi
  paths+=(
    "/annuaire/emplois?contrat=cdi"
    "/annuaire/logements?loyer_max=500"
    /annuaire/evenements
    /agenda
    "/agenda/$(date -d 'next saturday' +%F)"
    "/recherche?q=creche"
    "/recherche?q=aide+logement"
    "/recherche?q=emplois+saisonier"
    "/recherche?q=aide&type=service&commune=$commune"
    "/recherche?q=aide&page=40"
    "/recherche/suggestions?q=cre"
  )
fi

headers=()
if [[ "$gzip" == 1 ]]; then headers=(-H 'Accept-Encoding: gzip'); fi
echo "lieu $("$bin" --version 2>/dev/null | awk '{print $2}') on $base; wrk -t$threads -c$connections -d${duration}s$([[ "$gzip" == 1 ]] && echo ', gzip')"
printf '%-36s %6s %9s %8s %11s %9s %9s\n' "path" "status" "bytes" "gzip" "requests/s" "p50" "p99"
for path in "${paths[@]}"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base$path")"
  size="$(curl -s "$base$path" | wc -c)"
  zipped="$(curl -s -H 'Accept-Encoding: gzip' "$base$path" | wc -c)"
  if [[ "$status" != 200 ]]; then
    printf '%-36s %6s %9s %8s %11s %9s %9s\n' "$path" "$status" "$size" "$zipped" "-" "-" "-"
    continue
  fi
  out="$(timeout $((duration + 30)) wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${headers[@]}" "$base$path")"
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx|Socket errors/' <<<"$out")"
  printf '%-36s %6s %9s %8s %11s %9s %9s\n' "$path" "$status" "$size" "$zipped" "$rps" "$p50" "$p99"
  [[ -z "$errors" ]] || echo "  $errors"
done
# Every request a different question (tests/bench/distinct.lua): what a question costs the
# first time, since lieu keeps the answers of those asked again. Only with the default paths.
if ((${#@} == 0)); then
  lists=""
  for list in /annuaire/services /annuaire/associations /annuaire/emplois /annuaire/logements \
    /annuaire/evenements "/annuaire/emplois?contrat=cdi" "/annuaire/logements?loyer_max=500" \
    "/annuaire/services?commune=$commune" "/annuaire/associations?commune=$commune"; do
    pages="$(curl -s "$base$list" | grep -o 'Page 1 / [0-9]*' | head -n 1 | awk '{print $4}')"
    lists+="$list|${pages:-1} "
  done
  echo "every request a different question (distinct.lua):"
  for mix in lists searches; do
    out="$(LIEU_MIX="$mix" LIEU_LISTS="$lists" timeout $((duration + 30)) wrk -t"$threads" \
      -c"$connections" -d"${duration}s" --latency "${headers[@]}" -s "$root/tests/bench/distinct.lua" "$base")"
    rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    errors="$(awk '/Non-2xx|Socket errors/' <<<"$out")"
    printf '%-36s %6s %9s %8s %11s %9s %9s\n' "random $mix" "-" "-" "-" "$rps" "$p50" "$p99"
    [[ -z "$errors" ]] || echo "  $errors"
  done
fi
echo "resident memory: idle $rss_idle, after the load $(rss VmRSS) ($(rss RssAnon) allocated, $(rss RssFile) of mapped files: the index), peak $(rss VmHWM)"
