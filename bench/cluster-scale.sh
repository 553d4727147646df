#!/bin/bash
# Scale across nodes on one box (issue 15): three Parley cluster nodes (PostgreSQL + Redis), each
# holding SCALE_SESSIONS sessions (default 19,000: 57,000 in all), then cross-node 1:1 chat at
# steady offered rates, every message to a user on another node.
#
#   bench/cluster-scale.sh                               # 3 x 19,000, 500, 1,000, 2,000 msgs/s
#   SCALE_SESSIONS=500 STEP_SECONDS=5 bench/cluster-scale.sh     # a quick try
#   BENCH_LOCK=/work/wt/bench.lock bench/cluster-scale.sh  # measure under a lock shared with other benches
#   bench/cluster-scale.sh table RUN_ID                  # re-render a run's table from bench/results/results.csv
#
# Why three generator processes: every process is capped at 20,000 open files, so one node holds
# at most ~19,900 connections and so does one load generator process. User i connects to node
# n((i mod 3)+1) and belongs to generator process (i-1) mod 3: each generator holds exactly one
# node's users, and every message it sends goes to a user of another node, i.e. is received by
# another generator process. Latency is end to end on one clock: the body carries the sender's
# CLOCK_REALTIME-anchored monotonic nanos and the receiving process (same machine) subtracts.
#
# What it does: a redis-server of its own on REDIS_PORT (fresh, no persistence; the shared Redis is
# never touched); a PostgreSQL database SCALE_DB kept between runs with its users u00001..uN and
# their SCRAM keys (made once, unmeasured, see below; "$DIR/registered" records how many); then
# fresh node processes (on NODE_CPUS; the generators on GEN_CPUS) and one measured generator run
# (bench/loadgen.sh chat --memory --report-warmup --all-steps --login-retries 3, PROCS=3):
#   1. each node's RSS and heap after GC with no session ("sessions N=0" row);
#   2. all logins at LOGIN_RATE in all (the users whose login failed try again, up to 3 passes),
#      then RSS and heap after GC at 3 x N sessions (row N=3N): memory per session =
#      (RSS at 3N - RSS idle) / sessions online, the rss_per_session_b column;
#   3. WARMUP seconds at the first rate, then STEP_SECONDS at each of SCALE_RATES, DRAIN seconds
#      after each: per step sent, delivered, lost (sent - delivered, late ones still count as
#      delivered to their step), delivered/s, p50/p99/p99.9/max, server CPU (3 nodes), each node's
#      and Redis's CPU (note column).
# A monitor samples every 5 s each node's open files and RSS and Redis's used_memory
# ($DIR/monitor.log; the peaks go into the report). Exit status 1 when a message was lost or a
# session did not log in.
#
# Knobs (env): SCALE_SESSIONS=19000 (per node)  SCALE_RATES=500,1000,2000  STEP_SECONDS=30  WARMUP=20
#              DRAIN=5  LOGIN_RATE=600 (logins/s over all three generators)
#              BASE_PORT=$BENCH_PORT or 5522 (nodes on BASE_PORT..+2)  REDIS_PORT=BASE_PORT+10
#              SCALE_DB=parley_scale  PEERS_DIR=/tmp/peers (the nodes' config, data and logs go to
#              $PEERS_DIR/parley-scale)  NODE_CPUS=1 (taskset for the nodes; empty: not pinned)
#              GEN_CPUS=0 (bench/loadgen.sh's)  NODE_JAVA_OPTS=-Xmx1g  BENCH_LOCK (a file to flock
#              for the measured part: fresh nodes, logins, chat)  RUN_ID  SCENARIO_TIMEOUT=1500
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
N=${SCALE_SESSIONS:-19000}
USERS=$((3 * N))
RATES=${SCALE_RATES:-500,1000,2000}
BASE=${BASE_PORT:-${BENCH_PORT:-5522}}
PORTS=("$BASE" "$((BASE + 1))" "$((BASE + 2))")
RPORT=${REDIS_PORT:-$((BASE + 10))}
DB=${SCALE_DB:-parley_scale}
PREFIX=scale:
DIR=${PEERS_DIR:-/tmp/peers}/parley-scale
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-cluster-scale}
RESULTS=bench/results
NODES=(n1 n2 n3)
SERVER=parley-cluster-3node-scale
PSQL=(psql -h 127.0.0.1 -U postgres -qtA -v ON_ERROR_STOP=1)
mkdir -p $RESULTS "$DIR"

# The run's table from results.csv: memory at 0 and 3N sessions, then one row per chat step.
table() {
  awk -F, -v run="$1" '
    function mb(kb) { return kb == "" ? "" : sprintf("%.0f", kb / 1024) }
    $1 == run && $4 == "sessions" { mem[++m] = $0; ms[m] = $5; mo[m] = $16; mr[m] = $20; mh[m] = $21; mrs[m] = $22; mhs[m] = $23; mn[m] = $24 }
    $1 == run && $4 == "chat" { c[++n] = $5; off[n] = $7; sent[n] = $9; del[n] = $10; rate[n] = $11; p50[n] = $12; p99[n] = $13
      p999[n] = $14; mx[n] = $15; cpu[n] = $18; gen[n] = $19; note[n] = $24 }
    END {
      print "## cluster scale, run " run "\n"
      print "| sessions | online | RSS MB (3 nodes) | heap after GC MB | RSS B/session | heap B/session | per process |"
      print "|---|---:|---:|---:|---:|---:|---|"
      for (i = 1; i <= m; i++) printf "| %s | %s | %s | %s | %s | %s | %s |\n", ms[i], mo[i], mb(mr[i]), mb(mh[i]), mrs[i], mhs[i], mn[i]
      print "\n| step | sent | delivered | lost | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU % | generators CPU % | per process CPU |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
      for (i = 1; i <= n; i++) printf "| %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", c[i], sent[i], del[i],
        sent[i] - del[i], rate[i], p50[i], p99[i], p999[i], mx[i], cpu[i], gen[i], note[i]
    }' "$2"
}
# 0 when every chat step delivered all it sent and every session logged in
verdict() {
  awk -F, -v run="$1" -v users="$USERS" '
    $1 == run && $4 == "chat" { rows++; if ($9 != $10) { bad = 1; print "lost " ($9 - $10) " of " $9 " in step " $5 > "/dev/stderr" } }
    $1 == run && $4 == "sessions" && $5 != "N=0" && $16 + 0 < users { bad = 1; print "only " $16 " of " users " sessions online" > "/dev/stderr" }
    END { if (rows == 0) { print "no chat step recorded" > "/dev/stderr"; bad = 1 } exit bad }' "$2"
}
if [ "${1:-}" = table ]; then table "${2:?run id}" $RESULTS/results.csv; exit; fi

. bench/cluster-lib.sh
cluster_build
redis_stop() { [ -f "$DIR/redis.pid" ] && kill -TERM "$(cat "$DIR/redis.pid")" 2>/dev/null; rm -f "$DIR/redis.pid"; }

# node_start I [taskset cpus]: node n(I+1) on PORTS[I]; prints the JVM's pid (the launcher execs java)
node_start() {
  local i=$1 cpus=${2:-} name=${NODES[$1]} d=$DIR/${NODES[$1]} ts=""
  port_busy "${PORTS[$i]}" && { echo "port ${PORTS[$i]} busy" >&2; return 1; }
  mkdir -p "$d/data"
  sed -e "s|@NODE@|$name|; s|@PORT@|${PORTS[$i]}|; s|@DB@|$DB|; s|@PREFIX@|$PREFIX|; s|@DATA@|$d/data|" \
      -e "s|redis://127.0.0.1:6379|redis://127.0.0.1:$RPORT|" bench/peers/parley-cluster.yaml > "$d/parley.yaml"
  [ -n "$cpus" ] && ts="taskset -c $cpus"
  ulimit -n "$(ulimit -Hn)"
  PARLEY_JAVA_OPTS="${NODE_JAVA_OPTS:--Xmx1g}" setsid bash -c "echo \$\$ > $d/pid; exec $ts ./parley start -c $d/parley.yaml" \
      >> "$d/stdout.log" 2>&1 < /dev/null &
  wait_port "${PORTS[$i]}"; sleep 0.5; cat "$d/pid"
}
monitor=""
cleanup() {
  [ -n "$monitor" ] && kill "$monitor" 2>/dev/null || true
  for n in "${NODES[@]}"; do node_stop "$n"; done
  redis_stop || true
}
trap cleanup EXIT
plist=$(IFS=,; echo "${PORTS[*]}")
say() { echo "== $(date -u +%T) $*" >&2; }

# Users and their SCRAM keys, once, in seconds rather than the minutes that 57,000 in-band
# registrations and priming logins take on a loaded box: u00001 is registered in-band and logs in
# once (its salted password goes to the cache), then every other user is a copy of it by SQL, with
# the same salt and keys, and the cache gets the same salted password for each. Logins cost the
# server exactly what they cost with a salt per user.
cleanup; redis_start
if [ "$(cat "$DIR/registered" 2>/dev/null || echo 0)" -lt "$USERS" ]; then
  say "fresh database $DB: $USERS users and their SCRAM keys (not measured)"
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  rm -f "$DIR"/scram-cache* "$DIR/scram-seed"
  node_start 0 >/dev/null
  bench/loadgen.sh register --users 1 --port "${PORTS[0]}" --server-name prep --run-id "$RUN_ID-register" \
      --results "$DIR/prep" | tee /dev/stderr | grep -q "errors=0"
  bench/loadgen.sh sessions --steps 1 --hold 0 --port "${PORTS[0]}" --scram-cache "$DIR/scram-seed" --server-name prep \
      --run-id "$RUN_ID-prime" --results "$DIR/prep" >/dev/null
  "${PSQL[@]}" -d "$DB" \
      -c "INSERT INTO accounts SELECT 'u' || lpad(i::text, 5, '0'), (extract(epoch FROM now()) * 1000)::bigint
          FROM generate_series(2, $USERS) i ON CONFLICT DO NOTHING" \
      -c "INSERT INTO credentials SELECT a.username, c.algorithm, c.salt, c.iterations, c.stored_key, c.server_key
          FROM accounts a CROSS JOIN credentials c WHERE c.username = 'u00001' AND a.username <> 'u00001'
          ON CONFLICT DO NOTHING"
  awk -v n="$USERS" '{ rest = substr($0, 7); for (i = 1; i <= n; i++) printf "u%05d%s\n", i, rest }' "$DIR/scram-seed" \
      > "$DIR/scram-cache"
  [ "$(wc -l < "$DIR/scram-cache")" -ge "$USERS" ] || { echo "no salted password for u00001" >&2; exit 1; }
  node_stop n1
  echo "$USERS" > "$DIR/registered"
fi
# every run from the same state: only the accounts kept (no archive, offline messages or held
# messages of an earlier run: a large archive slows its path several-fold, and a message stored
# offline in one run would be delivered, as a duplicate, in the next)
"${PSQL[@]}" -d "$DB" -c "SET client_min_messages = warning; DO \$\$ DECLARE t text; BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
        AND tablename NOT IN ('accounts', 'credentials') AND tablename NOT LIKE 'flyway%' LOOP
      EXECUTE 'TRUNCATE ' || quote_ident(t) || ' CASCADE';
    END LOOP; END \$\$"
redis-cli -p "$RPORT" flushall >/dev/null

if [ -n "${BENCH_LOCK:-}" ]; then
  say "waiting for $BENCH_LOCK"
  exec 9>"$BENCH_LOCK"; flock 9
  locked_at=$(date +%s); say "holding $BENCH_LOCK"
fi
pids=(); watch=()
rm -f "$DIR"/n?/stdout.log   # the logs of the measured processes only
for i in 0 1 2; do
  pids+=("$(node_start $i "${NODE_CPUS-1}")"); watch+=(--watch "${NODES[$i]}=${pids[$i]}")
done
RPID=$(cat "$DIR/redis.pid")
say "nodes ${NODES[*]} on $plist (pids ${pids[*]}), Redis :$RPORT (pid $RPID); load $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 5   # the nodes' start-up work (schema check, Redis subscriptions, JIT) out of the idle sample

# every 5 s: open files and RSS of each node, Redis's used memory
( while sleep 5; do
    line="$(date -u +%T)"
    for i in 0 1 2; do
      p=${pids[$i]}
      line="$line ${NODES[$i]}_fds=$(ls /proc/$p/fd 2>/dev/null | wc -l) ${NODES[$i]}_rss_mb=$(( $(awk '/VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0) / 1024 ))"
    done
    echo "$line redis_used_mb=$(( $(redis-cli -p "$RPORT" info memory | awk -F: '/^used_memory:/ {print $2+0}') / 1048576 )) load=$(cut -d' ' -f1 /proc/loadavg)"
  done ) > "$DIR/monitor.log" 2>&1 &
monitor=$!

pidlist=$(IFS=,; echo "${pids[*]}")
rc=0
PROCS=3 timeout "${SCENARIO_TIMEOUT:-1500}" bench/loadgen.sh chat --users "$USERS" --ports "$plist" --cross-ports \
    --rates "$RATES" --step-seconds "${STEP_SECONDS:-30}" --warmup "${WARMUP:-20}" --drain "${DRAIN:-5}" \
    --login-rate "${LOGIN_RATE:-600}" --login-timeout $(( USERS / ${LOGIN_RATE:-600} + 120 )) --p99-limit-ms 3600000 \
    --all-steps --login-retries 3 --memory --report-warmup --server-pid "$pidlist" "${watch[@]}" --watch "redis=$RPID" \
    --scram-cache "$DIR/scram-cache" --server-name "$SERVER" --run-id "$RUN_ID" --results $RESULTS || rc=$?
kill "$monitor" 2>/dev/null || true; monitor=""
[ -n "${BENCH_LOCK:-}" ] && { say "released $BENCH_LOCK after $(( $(date +%s) - locked_at )) s"; flock -u 9; }
[ $rc -eq 0 ] || echo "the generator failed or timed out (exit $rc)" >&2

peaks=$(awk '{ for (f = 2; f <= NF; f++) { split($f, kv, "="); if (kv[2] + 0 > max[kv[1]]) max[kv[1]] = kv[2] + 0 } }
  END { for (k in max) printf "%s=%s ", k, max[k] }' "$DIR/monitor.log" 2>/dev/null || true)
{ echo "bench/cluster-scale.sh, $(date -u +%FT%TZ), 3 nodes x $N sessions ($USERS), steps $RATES msgs/s x ${STEP_SECONDS:-30} s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo; table "$RUN_ID" $RESULTS/results.csv
  echo; echo "monitor peaks (every 5 s, $DIR/monitor.log): $peaks"
  for n in "${NODES[@]}"; do
    e=$(grep -c -E ' (ERROR|WARN) ' "$DIR/$n/stdout.log" 2>/dev/null || true)
    echo "$n: ${e:-0} WARN/ERROR lines in $DIR/$n/stdout.log"
  done; } | tee $RESULTS/latest-cluster-scale.md
verdict "$RUN_ID" $RESULTS/results.csv && [ $rc -eq 0 ]
