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

work="$(mktemp -d "${TMPDIR:-/tmp}/lieu-bench.XXXXXX")"
server=""
cleanup() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A free port: the kernel picks one, the probe socket closes, lieu takes it.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

LIEU_DATABASE_URL="sqlite://$work/lieu.sqlite3" \
LIEU_CONTENT_DIR="$root/wiki-content" \
LIEU_BIND="127.0.0.1:$port" \
LIEU_BASE_URL="$base" \
LIEU_LOG=warn \
LIEU_BACKUP_KEEP=0 \
  "$bin" serve >"$work/serve.log" 2>&1 &
server=$!

for _ in $(seq 150); do
  if curl -fsS -o /dev/null "$base/pages" 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$base/pages" || { echo "lieu did not answer on $base" >&2; cat "$work/serve.log" >&2; exit 1; }

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
