#!/usr/bin/env bash
# Schemathesis (PyPI) against the JSON API of a release `lieu serve`: the demo content on a
# temporary SQLite database, on 127.0.0.1 and a free port, the API's request budget off; every
# check of schemathesis on every operation of /api/v1/openapi.json. Exits non-zero on any
# failure.
#
#   cargo build --release -p lieu && tests/api/schemathesis.sh
#
# LIEU_BIN: the binary (default: release/lieu under CARGO_TARGET_DIR or the repository's
# target). SCHEMATHESIS_VENV: where schemathesis is installed (created when missing).
# MAX_EXAMPLES: test cases per operation and phase (default 200).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${LIEU_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/lieu}"
venv="${SCHEMATHESIS_VENV:-$HOME/.cache/lieu-schemathesis}"
version="4.32.5"

[[ -x "$bin" ]] || { echo "no binary at $bin: cargo build --release -p lieu, or set LIEU_BIN" >&2; exit 2; }
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$version"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/lieu-schemathesis.XXXXXX")"
server=""
cleanup() {
  if [[ -n "$server" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
LIEU_DATABASE_URL="sqlite://$work/lieu.sqlite3" \
LIEU_CONTENT_DIR="$root/wiki-content" \
LIEU_INDEX_DIR="$work/index" \
LIEU_MAIL_DIR="$work/mail" \
LIEU_BIND="127.0.0.1:$port" \
LIEU_BASE_URL="$base" \
LIEU_API_REQUESTS_PER_MINUTE=0 \
LIEU_BACKUP_KEEP=0 \
LIEU_LOG=warn \
  "$bin" serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 600); do
  if curl -fsS -o /dev/null "$base/api/v1/communes" 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done

cd "$work"
status=0
"$venv/bin/st" run "$base/api/v1/openapi.json" \
  --checks all \
  --max-examples "${MAX_EXAMPLES:-200}" \
  --seed 1 \
  --no-color \
  --report junit --report-dir "$work/report" || status=$?
# lieu's own errors (actix's parser logs the malformed headers schemathesis sends on purpose).
if grep -E "panicked|ERROR.*lieu" "$work/serve.log" >/dev/null; then
  echo "the server logged errors:" >&2
  grep -E "panicked|ERROR.*lieu" "$work/serve.log" | head -20 >&2
  exit 1
fi
exit "$status"
