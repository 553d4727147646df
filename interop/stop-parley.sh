#!/usr/bin/env bash
# Stops the Parley started by interop/start-parley.sh (the PID it recorded): SIGTERM, then SIGKILL
# after 15 s if it has not shut down.
set -euo pipefail
PID_FILE="$(cd "$(dirname "$0")" && pwd)/target/parley.pid"
[ -f "$PID_FILE" ] || { echo "stop-parley.sh: no $PID_FILE, nothing to stop" >&2; exit 0; }
PID="$(cat "$PID_FILE")"
if kill -0 "$PID" 2>/dev/null; then
  kill -TERM "$PID"
  for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$PID" 2>/dev/null; then
    echo "stop-parley.sh: $PID ignored SIGTERM, killing" >&2
    kill -KILL "$PID"
  fi
fi
rm -f "$PID_FILE"
