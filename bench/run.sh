#!/bin/bash
# One scenario against each server in turn, in one invocation, then a side-by-side table.
#
#   bench/run.sh sessions|chat|overload|offline|tls|scale [parley] [ejabberd] [prosody]
#   bench/run.sh history [parley]
#   bench/run.sh slowreader [parley] [ejabberd] [prosody]
#   bench/run.sh group [parley] [ejabberd] [prosody]
#
# For each server: start it pinned to CPU 1 (bench/peers/peer.sh), register the users it
# needs by in-band registration (kept in $PEERS/<name> between runs), run the scenario
# with the load generator pinned to CPU 0, stop the server. Rows go to bench/results/results.csv
# and results.md; the table goes to stdout and bench/results/latest-<scenario>.md.
#
# Knobs (env): SESSIONS_STEPS=1000,10000  LOGIN_RATE=500  HOLD=10
#              CHAT_USERS=1000  CHAT_RATES=1000,2500,5000,10000,20000,40000  STEP_SECONDS=15
#              WARMUP=60 (chat and overload: unmeasured seconds at the first rate after the logins, the
#              same for every server, so the sessions' state is settled in the old generation of a JVM
#              and the JIT has compiled the message path before the measured steps; BENCHMARKS.md,
#              "GC pauses and what they copied")
#              OFFLINE_USERS=1000  OFFLINE_MESSAGES=20  REGISTER_RATE=300
#              SCALE_SESSIONS=19000  SCALE_RATE=5000  SCALE_SECONDS=30  (scale: chat of CHAT_USERS
#              at SCALE_RATE, first alone, then beside SCALE_SESSIONS-CHAT_USERS idle sessions)
#              SLOW_USERS=200 FLOODERS=4 FLOOD_RATE=2000 FLOOD_BODY=4096 SLOW_CHAT_RATE=200 (slowreader)
#              SLOW_ROUNDS=2 (slowreader: the scenario this many times on one server process, rows
#              "<s>-r1", "<s>-r2", ...: the first flood grows what is sized once — the heap pages the
#              JVM committed at start, Netty's buffer pool, SQLite's page caches — a later one shows
#              whether anything keeps growing)
#              PEERS_DIR=/tmp/peers BENCH_PORT=5522 (where servers keep their data, and their port)
#              GEN_BUSY_POLL=true (the generator reads with one event loop that polls epoll without sleeping:
#              over loopback a server's write to a sleeping reader wakes it on the other CPU, an interrupt the
#              server's core pays per copy and a remote client never costs it; 13-20% of Parley's CPU per copy in
#              the room of 5,000, BENCHMARKS.md "Whose time is the room of 5,000's latency"; the generator's CPU
#              column then reads near 100%; for one generator process: two would spin against each other on CPU 0)
#              PROCS (generator processes; default 2 above 15,000 users)  RUN_ID  SCENARIO_TIMEOUT=600
#              HISTORY_MESSAGES=10000000  HISTORY_USERS=1000  HISTORY_RATES=100,250,500,1000,2000
#              (history: Parley only, archive on; bench/history-fill.sh tops the archive up to
#              HISTORY_MESSAGES by direct SQL with the server stopped, then users page their newest
#              history, half of them per conversation, at each query rate; latency = query to fin;
#              HISTORY_DEEP_DAYS=30: each page ends at a random instant of the last 30 days instead,
#              as when scrolling far up, which reads rows that are not cached)
#              GROUP_SHAPES=1x10,1x100,1x5000,100x100 (rooms x occupants, one shape after another on
#              one server process)  GROUP_COPIES=2000,5000,10000,20000,40000 (offered delivered
#              stanzas/s per step: a shape of S occupants is offered COPIES/S room messages/s)
#              GROUP_WARMUP=20 (group: unmeasured seconds after the joins, shared out over the steps' rates in
#              turn up to the first the server falls behind at, then until its copies stop arriving: a JVM
#              compiles the fan-out and input paths then instead of in the first measured steps)
#              JOIN_RATE=200 (group: joins/s)  JOIN_SECONDS=300 (group: the longest wait for every join;
#              Prosody's joins cost O(occupants) each: give it more for 5,000)  LARGE_ROOM=1000 (group:
#              Prosody's rooms above this many occupants broadcast moderators' presences only, as Parley
#              and ejabberd do past 1,000 on their own)  GROUP_P99_LIMIT_MS=1000 (group: a step whose p99 is above this
#              ends the shape, as saturated; on a loaded machine one noisy step can end a shape early)
#              OVERLOAD_RATES=5000,10000,20000  (overload: the chat of CHAT_USERS at each rate for
#              STEP_SECONDS=20, every step run even past saturation, 10 s of drain after each;
#              archiving on unless ARCHIVE=off; reports offered vs delivered, p99, messages never
#              delivered and the server's RSS at the end of each step)
#              OVERLOAD_FILL (overload, Parley: first top the archive up to this many messages with
#              bench/history-fill.sh, as history does; the archive writer's cost per message grows with
#              the archive, BENCHMARKS.md "The conversation table in stages"; default: none, an empty archive)
#              TIMELINE=1 (chat and overload: also write each second's deliveries, those over 20 ms and the
#              longest, by send time, to $RESULTS/timeline-<run>-<server>.txt, to lay a tail beside the GC log)
#              ARCHIVE=on|off (default off; overload: on): every server archives every chat message (XEP-0313):
#              Parley archive.enabled, ejabberd mod_mam default: always, Prosody mod_mam with
#              default_archive_policy = true; each with its own default backend (see peers/peer.sh)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
SCENARIO=${1:?usage: bench/run.sh sessions|chat|overload|offline|tls|scale|history|slowreader [servers...]}; shift
SERVERS=("$@"); [ ${#SERVERS[@]} -gt 0 ] || SERVERS=(parley ejabberd prosody)
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-$SCENARIO}
RESULTS=bench/results
PEERS=${PEERS_DIR:-/tmp/peers}
mkdir -p $RESULTS
# each server's config, data, accounts and SCRAM cache (peer.sh); BENCH_PORT moves the port too
PEERS=${PEERS_DIR:-/tmp/peers}; export PEERS_DIR=$PEERS

case "$SCENARIO" in
  sessions|tls)
    STEPS=${SESSIONS_STEPS:-1000,10000}; USERS=${STEPS##*,}
    ARGS=(sessions --steps "$STEPS" --login-rate "${LOGIN_RATE:-500}" --hold "${HOLD:-10}")
    [ "$SCENARIO" = tls ] && { ARGS+=(--starttls); export PEER_TLS=1; } ;;
  chat)
    USERS=${CHAT_USERS:-1000}
    ARGS=(chat --users "$USERS" --rates "${CHAT_RATES:-1000,2500,5000,10000,20000,40000}"
          --step-seconds "${STEP_SECONDS:-15}" --login-rate "${LOGIN_RATE:-500}" --warmup "${WARMUP:-60}") ;;
  overload)
    USERS=${CHAT_USERS:-1000}; export ARCHIVE=${ARCHIVE:-on}
    ARGS=(overload --users "$USERS" --rates "${OVERLOAD_RATES:-5000,10000,20000}" --step-seconds "${STEP_SECONDS:-20}"
          --drain 10 --login-rate "${LOGIN_RATE:-500}" --warmup "${WARMUP:-60}") ;;
  scale)
    # one server process holds SCALE_SESSIONS sessions in all (19,000: the 20,000-file cap less
    # the server's own files): CHAT_USERS chatting, the rest idle beside them
    USERS=${SCALE_SESSIONS:-19000}; CUSERS=${CHAT_USERS:-1000}
    ARGS=(chat --users "$CUSERS" --rates "${SCALE_RATE:-5000}" --step-seconds "${SCALE_SECONDS:-30}"
          --login-rate "${LOGIN_RATE:-500}") ;;
  history)
    [ "${SERVERS[*]}" = parley ] || { echo "history fills Parley's own schema: bench/run.sh history parley" >&2; exit 2; }
    export ARCHIVE=on
    USERS=${HISTORY_USERS:-1000}
    ARGS=(history --users "$USERS" --rates "${HISTORY_RATES:-100,250,500,1000,2000}" --deep-days "${HISTORY_DEEP_DAYS:-0}"
          --step-seconds "${STEP_SECONDS:-15}" --login-rate "${LOGIN_RATE:-500}") ;;
  slowreader)
    # issue 12: one user never reads while FLOODERS flood it; the others chat at SLOW_CHAT_RATE,
    # STEP_SECONDS alone, then as long during the flood; the flood row's note has the RSS growth
    USERS=${SLOW_USERS:-200}
    ARGS=(slowreader --users "$USERS" --flooders "${FLOODERS:-4}" --flood-rate "${FLOOD_RATE:-2000}"
          --flood-body "${FLOOD_BODY:-4096}" --rate "${SLOW_CHAT_RATE:-200}" --seconds "${STEP_SECONDS:-30}"
          --login-rate "${LOGIN_RATE:-500}") ;;
  group)
    export MUC=on
    SHAPES=${GROUP_SHAPES:-1x10,1x100,1x5000,100x100}
    USERS=0; for sh in ${SHAPES//,/ }; do n=$(( ${sh%x*} * ${sh#*x} )); [ $n -gt $USERS ] && USERS=$n; done
    ARGS=() ;;
  offline)
    USERS=$(( ${OFFLINE_USERS:-1000} + 100 ))
    ARGS=(offline --users "${OFFLINE_USERS:-1000}" --messages "${OFFLINE_MESSAGES:-20}" --senders 100) ;;
  *) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac
# rows of an archiving run are labelled, e.g. "parley+mam", so they never mix with plain ones
LABEL=""; [ "${ARCHIVE:-off}" = on ] && LABEL="+mam"
export ARCHIVE=${ARCHIVE:-off}
export PROCS=${PROCS:-$([ "$USERS" -gt 15000 ] && echo 2 || echo 1)}

# build both before anything is timed
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
./mvnw -q -B -pl server,bench/loadgen -am package -DskipTests

current=""
cleanup() { [ -n "$current" ] && bench/peers/peer.sh stop "$current" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# scale: the chat alone (row server "<s>"), then, in the same process, USERS-CUSERS idle sessions
# (users CUSERS+1..USERS, two generator processes, held until the chat is over; row "<s>+idle"
# with their login rate and the server's RSS at USERS sessions) and the same chat beside them
# (row "<s>+idle" too, scenario chat)
scale_run() {
  local s=$1 pid=$2 idle=$(( USERS - CUSERS )) secs=${SCALE_SECONDS:-30} holder fds
  timeout 120 bench/loadgen.sh "${ARGS[@]}" --server-pid "$pid" --server-name "$s" \
      --scram-cache $PEERS/$s/scram-cache --run-id "$RUN_ID" --results $RESULTS || return 1
  # the holder logs in, then holds long enough for the chat's login, warm-up, step and drain
  local hold=$(( CUSERS / ${LOGIN_RATE:-500} + 5 + secs + 3 + 15 ))
  PROCS=2 bench/loadgen.sh sessions --steps "$USERS" --first-user $(( CUSERS + 1 )) --login-rate "${IDLE_LOGIN_RATE:-1000}" \
      --hold "$hold" --step-timeout 100 --server-pid "$pid" --server-name "$s+idle" \
      --scram-cache $PEERS/$s/scram-cache --run-id "$RUN_ID" --results $RESULTS > $PEERS/$s/idle.log 2>&1 &
  holder=$!
  for _ in $(seq 1 240); do   # until the idle sessions are in (open files of the server), max 120 s
    fds=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
    [ "$fds" -ge $(( idle * 98 / 100 )) ] && break
    kill -0 $holder 2>/dev/null || break
    sleep 0.5
  done
  echo "   $fds files open in $s; chat beside them" >&2
  sleep 3
  timeout 120 bench/loadgen.sh "${ARGS[@]}" --server-pid "$pid" --server-name "$s+idle" \
      --scram-cache $PEERS/$s/scram-cache --run-id "$RUN_ID" --results $RESULTS || { kill $holder; return 1; }
  wait $holder; local rc=$?; grep RESULT $PEERS/$s/idle.log >&2 || tail -5 $PEERS/$s/idle.log >&2
  return $rc
}

for s in "${SERVERS[@]}"; do
  echo "== $SCENARIO on $s (run $RUN_ID)" >&2
  current=$s
  pid=$(bench/peers/peer.sh start "$s" | tail -1)
  echo "   $s pid $pid" >&2
  # registration of the users this scenario needs; accounts persist, so later runs are quick
  marker=$PEERS/$s/registered
  if [ "$(cat $marker 2>/dev/null || echo 0)" -lt "$USERS" ]; then
    PROCS=1 bench/loadgen.sh register --users "$USERS" --rate "${REGISTER_RATE:-300}" \
        --server-name "$s" --run-id "$RUN_ID-register" --results $RESULTS | tee -a /dev/stderr \
      | grep -q "errors=0" && echo "$USERS" > $marker
  fi
  cache=$PEERS/$s/scram-cache
  if [ "$s" = parley ] && [ "$(cat $cache $cache.* 2>/dev/null | wc -l)" -lt "$USERS" ]; then
    # Parley offers only SCRAM on a plaintext stream: compute every user's PBKDF2 once, unmeasured,
    # so the measured logins cost the generator what a real client with a cached key pays
    echo "   priming the SCRAM cache for $USERS users (not measured)" >&2
    PROCS=$PROCS bench/loadgen.sh sessions --steps "$USERS" --hold 0 --login-rate 2000 --step-timeout 150 \
        --scram-cache $cache --server-name "$s" --run-id "$RUN_ID-prime" --results $PEERS/$s/prime >/dev/null || true
    # a fresh process, so that memory grown by the priming logins is not measured
    bench/peers/peer.sh stop "$s" >/dev/null 2>&1 || true; sleep 1
    pid=$(bench/peers/peer.sh start "$s" | tail -1)
    echo "   $s restarted, pid $pid" >&2
  fi
  fill=$([ "$SCENARIO" = history ] && echo "${HISTORY_MESSAGES:-10000000}" ||
         { [ "$SCENARIO" = overload ] && [ "$s" = parley ] && echo "${OVERLOAD_FILL:-}"; } || true)
  if [ -n "$fill" ]; then
    bench/peers/peer.sh stop "$s" >/dev/null 2>&1 || true; sleep 1
    MESSAGES=$fill USERS=$USERS bench/history-fill.sh
    pid=$(bench/peers/peer.sh start "$s" | tail -1)
    echo "   $s restarted on the filled archive, pid $pid" >&2
  fi
  if [ "$SCENARIO" = scale ]; then
    scale_run "$s" "$pid" || echo "   $SCENARIO on $s failed or timed out" >&2
  elif [ "$SCENARIO" = group ]; then
    for sh in ${SHAPES//,/ }; do
      r=${sh%x*}; n=${sh#*x}
      copies=${GROUP_COPIES:-2000,5000,10000,20000,40000}
      rates=$(for c in ${copies//,/ }; do awk -v c=$c -v n=$n 'BEGIN{printf "%g,", c/n}'; done)
      # a large room's presences: Parley (muc.maxJoinPresences) and ejabberd (max_users_presence) stop
      # broadcasting participants' presences past 1,000 occupants on their own; Prosody has no such
      # threshold and broadcasts every join to every occupant (12.5 million presences for 5,000 joins,
      # hours of its one core), so its rooms above 1,000 are made with presence broadcast for moderators only
      extra=()
      [ "$s" = prosody ] && [ "$n" -gt "${LARGE_ROOM:-1000}" ] && extra=(--room-config muc#roomconfig_presencebroadcast=moderator)
      timeout "${SCENARIO_TIMEOUT:-600}" bench/loadgen.sh group --rooms "$r" --room-size "$n" --rates "${rates%,}" "${extra[@]}" \
          --join-seconds "${JOIN_SECONDS:-300}" --warmup "${GROUP_WARMUP:-20}" \
          --step-seconds "${STEP_SECONDS:-10}" --login-rate "${LOGIN_RATE:-500}" --join-rate "${JOIN_RATE:-200}" \
          --p99-limit-ms "${GROUP_P99_LIMIT_MS:-1000}" --server-pid "$pid" --server-name "$s" --scram-cache $PEERS/$s/scram-cache \
          --run-id "$RUN_ID" --results $RESULTS || echo "   group $sh on $s failed or timed out" >&2
      sleep 3
    done
  elif [ "$SCENARIO" = slowreader ]; then
    for r in $(seq 1 "${SLOW_ROUNDS:-2}"); do
      timeout "${SCENARIO_TIMEOUT:-600}" bench/loadgen.sh "${ARGS[@]}" --server-pid "$pid" --server-name "$s$LABEL-r$r" \
          --scram-cache $PEERS/$s/scram-cache --run-id "$RUN_ID" --results $RESULTS || echo "   round $r on $s failed" >&2
    done
  else
  timeline=()
  [ -n "${TIMELINE:-}" ] && [ "$SCENARIO" = chat -o "$SCENARIO" = overload ] && timeline=(--timeline "$RESULTS/timeline-$RUN_ID-$s$LABEL.txt")
  timeout "${SCENARIO_TIMEOUT:-600}" bench/loadgen.sh "${ARGS[@]}" "${timeline[@]}" --server-pid "$pid" --server-name "$s$LABEL" \
      --scram-cache $PEERS/$s/scram-cache \
      --run-id "$RUN_ID" --results $RESULTS || echo "   $SCENARIO on $s failed or timed out" >&2
  fi
  bench/peers/peer.sh stop "$s" >/dev/null 2>&1 || true
  current=""
  sleep 2
done

SCEN=$SCENARIO; servers_csv=$(for s in "${SERVERS[@]}"; do printf '%s%s,' "$s" "$LABEL"; done); servers_csv=${servers_csv%,}
if [ "$SCENARIO" = slowreader ]; then
  servers_csv=$(for s in "${SERVERS[@]}"; do for r in $(seq 1 "${SLOW_ROUNDS:-2}"); do printf '%s%s-r%s,' "$s" "$LABEL" "$r"; done; done)
  servers_csv=${servers_csv%,}
fi
if [ "$SCENARIO" = scale ]; then
  SCEN=chat; servers_csv=$(for s in "${SERVERS[@]}"; do printf '%s,%s+idle,' "$s" "$s"; done); servers_csv=${servers_csv%,}
fi
TABLE_ARGS=(); [ "$SCENARIO" = group ] && TABLE_ARGS=(--good-p99-ms 100)   # the issue's bound for groups
bench/loadgen.sh table "${TABLE_ARGS[@]}" --run-id "$RUN_ID" --scenario "$SCEN" --servers "$servers_csv" --results $RESULTS \
    --out $RESULTS/latest-$SCENARIO.md
