# Sourced by the benchmark scripts of this folder: a work folder removed at exit with the server
# it started, and `lieu serve` on 127.0.0.1 and a free port.
#
#   source "$(dirname "$0")/common.sh"
#   bench_work lieu-api          # $work, removed at exit (the server too)
#   bench_serve /api/v1/communes # sets $port, $base and $server; waits until the path answers
#
# `bench_serve` takes the binary from $bin and the settings from the exported LIEU_* variables;
# BENCH_SERVE_TRIES (default 1,200, every 0.2 s) bounds the wait.

bench_work() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  server=""
  trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
  if [[ -n "${server:-}" ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}

bench_serve() {
  local ready="$1"
  # A free port: the kernel picks one, the probe socket closes, lieu takes it.
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  LIEU_BIND="127.0.0.1:$port" LIEU_BASE_URL="$base" "$bin" serve >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq "${BENCH_SERVE_TRIES:-1200}"); do
    if curl -fsS -o /dev/null "$base$ready" 2>/dev/null; then return 0; fi
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "lieu did not answer on $base$ready" >&2
  cat "$work/serve.log" >&2
  exit 1
}
