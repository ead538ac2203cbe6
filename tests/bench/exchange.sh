#!/usr/bin/env bash
# Exchange-space benchmark (issue 12): a release `lieu serve` on a SQLite database of generated
# threads and posts (100,000 and 1,000,000 by default), on 127.0.0.1 and a free port; wrk on a
# category's first page, a deep page of it reached through its « next » links, the first and
# the last page of the 500-post thread, and the notifications page of the generated member who
# has a few thousand (logged in with curl). Prints requests/s, p50 and p99 for each.
#
#   cargo build --release -p lieu && tests/bench/exchange.sh
#
# LIEU_BIN: the binary (default: release/lieu under CARGO_TARGET_DIR or the repository's target).
# LIEU_BENCH_DB: a SQLite file already generated (kept; otherwise a temporary one is generated),
#   with LIEU_BENCH_EMAIL, LIEU_BENCH_PASSWORD and LIEU_BENCH_THREAD (/echanges/sujet/N), as
#   `lieu generate --threads` printed them.
# THREADS / POSTS: sizes of a generated database. DEPTH: « next » links followed to the deep
#   page (default 900, about the 27,000th thread of a category). CATEGORY: its slug.
# DURATION: seconds per URL (default 20). WRK_THREADS / CONNECTIONS: wrk's -t / -c (2 / 32).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${LIEU_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/lieu}"
duration="${DURATION:-20}"
wrk_threads="${WRK_THREADS:-2}"
connections="${CONNECTIONS:-32}"
depth="${DEPTH:-900}"
category="${CATEGORY:-entraide}"

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "no binary at $bin: cargo build --release -p lieu, or set LIEU_BIN" >&2; exit 2; }

source "$root/tests/bench/common.sh"
bench_work lieu-exchange

export LIEU_LOG=warn LIEU_INDEX_DIR="$work/index" LIEU_MAIL_DIR="$work/mail" LIEU_BACKUP_KEEP=0
if [[ -n "${LIEU_BENCH_DB:-}" ]]; then
  export LIEU_DATABASE_URL="sqlite://$LIEU_BENCH_DB"
  email="${LIEU_BENCH_EMAIL:?set LIEU_BENCH_EMAIL with LIEU_BENCH_DB}"
  password="${LIEU_BENCH_PASSWORD:?set LIEU_BENCH_PASSWORD with LIEU_BENCH_DB}"
  long="${LIEU_BENCH_THREAD:?set LIEU_BENCH_THREAD with LIEU_BENCH_DB}"
else
  export LIEU_DATABASE_URL="sqlite://$work/lieu.sqlite3"
  "$bin" import "$root/wiki-content" >/dev/null
  started=$SECONDS
  out="$("$bin" generate --threads "${THREADS:-100000}" --posts "${POSTS:-1000000}")"
  echo "$out" | head -1
  echo "generated in $((SECONDS - started)) s; database $(du -h "$work/lieu.sqlite3" | cut -f1)"
  password="$(sed -n 's/.*mot de passe \([a-z0-9]*\) ;.*/\1/p' <<<"$out")"
  email="$(sed -n 's/.*<\([^>]*\)>.*/\1/p' <<<"$out")"
  long="$(grep -o '/echanges/sujet/[0-9]*' <<<"$out" | head -1)"
fi

started=$SECONDS
bench_serve /echanges
echo "server ready in $((SECONDS - started)) s (search index built at start: $(grep -o '[0-9]* documents' "$work/serve.log" || echo none))"

# The deep page: the « next » link followed DEPTH times, as a reader would.
deep="/echanges/$category"
for _ in $(seq "$depth"); do
  next="$(curl -fsS "$base$deep" | grep -o "href=\"/echanges/$category?apres=[^\"]*\"" | head -1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g')"
  [[ -n "$next" ]] || break
  deep="$next"
done

jar="$work/cookies"
csrf="$(curl -fsS -c "$jar" "$base/connexion" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
status="$(curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
  --data-urlencode "email=$email" --data-urlencode "password=$password" --data-urlencode "retour=/" "$base/connexion")"
[[ "$status" == 303 ]] || { echo "login as $email answered $status" >&2; exit 1; }
cookie="$(awk '!/^#/ || /^#HttpOnly_/ {sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s=%s; ", $6, $7}' "$jar" | sed 's/; $//')"

echo "lieu $("$bin" --version | awk '{print $2}') on $base, wrk -t$wrk_threads -c$connections -d${duration}s; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-50s %10s %9s %9s %9s\n' "path" "requests/s" "p50" "p99" "size"
for path in "/echanges/$category" "$deep" "$long" "$long?fin=1" "/notifications"; do
  headers=()
  [[ "$path" == /notifications ]] && headers=(-H "Cookie: $cookie")
  size="$(curl -s "${headers[@]}" -o /dev/null -w '%{http_code} %{size_download}' "$base$path")"
  [[ "${size%% *}" == 200 ]] || { echo "$path answered ${size%% *}" >&2; exit 1; }
  out="$(timeout $((duration + 30)) wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency "${headers[@]}" "$base$path")"
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf '%-50s %10s %9s %9s %9s\n' "$path" "$rps" "$p50" "$p99" "${size#* }"
  errors="$(awk '/Non-2xx|Socket errors/' <<<"$out")"
  [[ -z "$errors" ]] || echo "  $errors"
done
