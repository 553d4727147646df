#!/bin/bash
# Parley under several JVM option sets, one after another in one invocation, repeated, so the
# sets are compared within one run and the noise of a shared machine spreads over all of them.
#
#   bench/jvmflags.sh chat|sessions [REPEATS]
#
# Each set runs as server name parley-<label> with PARLEY_JAVA_OPTS=<options>; repeat r writes
# run id <RUN_ID>-r<r>. The medians over repeats: bench/medians.py <RUN_ID>.
# Env: VARIANTS (newline-separated "label|options"; default below), the knobs of the scenario
#      (CHAT_RATES, STEP_SECONDS, WARMUP as in run.sh, SESSIONS_STEPS, LOGIN_RATE, HOLD), RUN_ID.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE/.."
SCENARIO=${1:?chat|sessions}; REPEATS=${2:-3}
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-jvm-$SCENARIO}
RESULTS=bench/results; mkdir -p $RESULTS
DEFAULT_VARIANTS="jvm-default|
serial-xmn64m|-XX:+UseSerialGC -Xmn64m
g1-pause10|-XX:+UseG1GC -XX:MaxGCPauseMillis=10
zgc|-XX:+UseZGC
jvm-default-xmx1g|-Xms128m -Xmx1g
serial-xmn64m-xmx1g|-XX:+UseSerialGC -Xmn64m -Xms128m -Xmx1g
g1-pause10-xmx1g|-XX:+UseG1GC -XX:MaxGCPauseMillis=10 -Xms128m -Xmx1g
zgc-xmx1g|-XX:+UseZGC -Xms128m -Xmx1g"
VARIANTS=${VARIANTS:-$DEFAULT_VARIANTS}
case "$SCENARIO" in
  chat) ARGS=(chat --users 1000 --rates "${CHAT_RATES:-5000,10000,20000,30000}" --step-seconds "${STEP_SECONDS:-10}"
              --login-rate "${LOGIN_RATE:-1000}" --warmup "${WARMUP:-60}") ;;
  sessions) ARGS=(sessions --steps "${SESSIONS_STEPS:-1000,10000}" --login-rate "${LOGIN_RATE:-1000}" --hold "${HOLD:-5}") ;;
  *) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac
started=""
trap '[ -n "$started" ] && bench/peers/peer.sh stop parley >/dev/null 2>&1 || true' EXIT
for r in $(seq 1 "$REPEATS"); do
  while IFS='|' read -r label opts; do
    [ -n "$label" ] || continue
    echo "== $SCENARIO r$r parley-$label: ${opts:-(launcher defaults)}" >&2
    started=1
    pid=$(PARLEY_JAVA_OPTS="$opts" bench/peers/peer.sh start parley | tail -1)
    timeout "${SCENARIO_TIMEOUT:-240}" bench/loadgen.sh "${ARGS[@]}" --server-pid "$pid" --server-name "parley-$label" \
        --scram-cache /tmp/peers/parley/scram-cache --run-id "$RUN_ID-r$r" --results $RESULTS \
      | grep RESULT || echo "   failed or timed out" >&2
    bench/peers/peer.sh stop parley >/dev/null 2>&1 || true; started=""
    sleep 1
  done <<< "$VARIANTS"
done
echo "$RUN_ID"
