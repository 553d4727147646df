#!/usr/bin/env bash
# Starts a throw-away Parley for the interop run: domain localhost, data in a temp dir, plaintext
# c2s allowed (loopback test server), open in-band registration, no SASL failure delay. Compiles
# the server module, runs it in the background from its classes and prints its PID once the c2s
# port accepts connections. Stop it with interop/stop-parley.sh.
#
# Env: PARLEY_C2S_PORT [5222]  PARLEY_DIRECT_TLS_PORT [-1 = off]  PARLEY_DOMAIN [localhost]
#      PARLEY_HTTP_PORT [5280] plain HTTP for uploads (XEP-0363), the links under http://<domain>:<port>
#      PARLEY_RUN_DIR [a new mktemp dir] holds config.yaml, data/, parley.log and parley.pid
#      JAVA_HOME [/usr/lib/jvm/temurin-25-jdk-amd64]
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
PORT="${PARLEY_C2S_PORT:-5222}"
TLS_PORT="${PARLEY_DIRECT_TLS_PORT:--1}"
HTTP_PORT="${PARLEY_HTTP_PORT:-5280}"
DOMAIN="${PARLEY_DOMAIN:-localhost}"
RUN_DIR="${PARLEY_RUN_DIR:-$(mktemp -d /tmp/parley-interop.XXXXXX)}"
PID_FILE="$HERE/target/parley.pid"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "start-parley.sh: port $PORT is already in use" >&2; exit 1
fi

mkdir -p "$HERE/target" "$RUN_DIR/data"
CP_FILE="$HERE/target/server-classpath.txt"
if ! (cd "$ROOT" && ./mvnw -q -B -pl server compile dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE") >"$HERE/target/server-build.log" 2>&1; then
  cat "$HERE/target/server-build.log" >&2; echo "start-parley.sh: building the server failed" >&2; exit 1
fi

cat >"$RUN_DIR/config.yaml" <<YAML
domain: $DOMAIN
dataDir: $RUN_DIR/data
c2s:
  bindAddress: 127.0.0.1
  port: $PORT
  directTlsPort: $TLS_PORT
  allowPlaintext: true
  maxUnauthenticatedPerAddress: 100000
  maxInboundStanzasPerSecond: 1000000
  inboundStanzaBurst: 1000000
http:
  port: $HTTP_PORT
  tlsPort: -1
  publicUrl: http://$DOMAIN:$HTTP_PORT
# The framework registers every account it uses in-band, all from 127.0.0.1: lift the
# per-address limits a public server needs.
registration:
  enabled: true
  perAddress: 1000000
  perHour: 100000000
# Its accounts message each other without being contacts: lift the limit on messages to strangers.
strangers:
  maxMessages: 1000000000
auth:
  saslFailureDelay: 0s
  freeFailures: 1000000
  freeAccountFailures: 1000000
YAML

cd "$RUN_DIR"
setsid "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "$ROOT/server/target/classes:$(cat "$CP_FILE")" org.parley.cli.ParleyCli start -c "$RUN_DIR/config.yaml" \
    >"$RUN_DIR/parley.log" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$PID_FILE"
echo "$PID" >"$RUN_DIR/parley.pid"

for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "$PID"; exit 0
  fi
  if ! kill -0 "$PID" 2>/dev/null; then
    cat "$RUN_DIR/parley.log" >&2; echo "start-parley.sh: Parley exited during start" >&2; exit 1
  fi
  sleep 0.5
done
cat "$RUN_DIR/parley.log" >&2
echo "start-parley.sh: Parley did not open port $PORT within 60 s (log: $RUN_DIR/parley.log)" >&2
kill "$PID" 2>/dev/null || true
exit 1
