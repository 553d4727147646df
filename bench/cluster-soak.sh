#!/bin/bash
# The cluster soak of issue 15: three Parley nodes (PostgreSQL + Redis) on this box, SOAK_MESSAGES
# cross-node messages at a steady SOAK_RATE among SOAK_USERS users, while a node is killed
# with SIGKILL and started again every CHAOS_EVERY seconds (the node holding the most users, so
# that every kill hits clients), and every REDIS_EVERY-th of those times
# Redis is killed and started again instead. Every message is counted end to end by
# bench/cluster_soak.py (slixmpp clients): delivered live, or among the offline messages at the
# user's next login; the run reports how many the server accepted and did not deliver (lost).
#
#   bench/cluster-soak.sh                          # 100,000 messages at 250/s, 60 users
#   SOAK_MESSAGES=20000 CHAOS_EVERY=20 bench/cluster-soak.sh
#   SOAK_CHAOS=rolling bench/cluster-soak.sh       # rolling restarts: zero lost AND zero twice
#
# SOAK_CHAOS=rolling is docs/cluster.md's upgrade procedure under load instead of kills: every
# CHAOS_EVERY seconds the next node (n1, n2, n3, n1, ...) is stopped with SIGTERM, waited for (it
# must exit by itself within STOP_SECONDS; a SIGKILL needed there fails the run), and started again
# after DOWN_SECONDS, for ROLLING_ROUNDS full rounds; the load runs from before the first stop to
# TAIL seconds after the last start (SOAK_MESSAGES is then only an upper bound). The run fails
# (exit 1) on a message lost or received twice: the clients print how many of those came with one
# stanza-id (delivered twice by the server) or two (accepted twice: sent again by the client after
# a resumption whose 'h' was behind), each listed in SOAK_DIR/twice.txt.
#
# Redis: a redis-server of the soak's own on REDIS_PORT (it is the one restarted; the shared Redis
# on 6379 is never touched), key prefix SOAK_PREFIX. PostgreSQL: a fresh database SOAK_DB.
# Nodes n1..n3 on BASE_PORT+1..+3 (node config: bench/peers/parley-cluster.yaml, nodeTtl 10 s).
# Env: SOAK_CHAOS=kill (or rolling) ROLLING_ROUNDS=2 STOP_SECONDS=45 TAIL_SECONDS=20
#      SOAK_USERS=60 SOAK_MESSAGES=100000 SOAK_RATE=250 CHAOS_EVERY=40 DOWN_SECONDS=5 REDIS_EVERY=4
#      SOAK_RESUME=1 (0: clients log in afresh after losing their node instead of resuming)
#      BASE_PORT=34000 REDIS_PORT=34010 SOAK_DB=parley_cluster_soak SOAK_PREFIX=soak15:
#      SOAK_DIR=/tmp/parley-cluster-soak (node logs, the clients' output: kept after the run)
# Writes bench/results/cluster-soak-<run id>.log; exit status 1 when a message was lost (rolling: or
# received twice, or a node needed SIGKILL to stop).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
USERS=${SOAK_USERS:-60}
MESSAGES=${SOAK_MESSAGES:-100000}
RATE=${SOAK_RATE:-250}
EVERY=${CHAOS_EVERY:-40}
DOWN=${DOWN_SECONDS:-5}
REDIS_EVERY=${REDIS_EVERY:-4}
RESUME=${SOAK_RESUME:-1}
CHAOS=${SOAK_CHAOS:-kill}
ROUNDS=${ROLLING_ROUNDS:-2}
STOP_SECONDS=${STOP_SECONDS:-45}
TAIL=${TAIL_SECONDS:-20}
case "$CHAOS" in kill|rolling) ;; *) echo "SOAK_CHAOS is kill or rolling" >&2; exit 2;; esac
if [ "$CHAOS" = rolling ]; then EVERY=${CHAOS_EVERY:-20}; MESSAGES=${SOAK_MESSAGES:-1000000}; fi
BASE=${BASE_PORT:-34000}
RPORT=${REDIS_PORT:-34010}
DB=${SOAK_DB:-parley_cluster_soak}
PREFIX=${SOAK_PREFIX:-soak15:}
DIR=${SOAK_DIR:-/tmp/parley-cluster-soak}
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-cluster-soak}
RESULTS=bench/results; mkdir -p $RESULTS
LOG=$RESULTS/cluster-soak-$RUN_ID.log
NODES=(n1 n2 n3)
PSQL=(psql -h 127.0.0.1 -U postgres -qtA -v ON_ERROR_STOP=1)
/usr/bin/python3 -c 'import slixmpp' 2>/dev/null || { echo "needs python3-slixmpp (apt-get install python3-slixmpp)" >&2; exit 2; }
. bench/cluster-lib.sh
cluster_build

say() { echo "== $(date -u +%T) $*" | tee -a "$LOG" >&2; }
port_of() { echo $((BASE + ${1#n})); }
redis_kill() { [ -f "$DIR/redis.pid" ] && kill -KILL "$(cat "$DIR/redis.pid")" 2>/dev/null; rm -f "$DIR/redis.pid"; sleep 0.3; }

# node_start NAME: the node's JVM (the launcher execs java) in its own session, pid in $DIR/NAME/pid
node_start() {
  local name=$1 port d=$DIR/$1
  port=$(port_of "$name")
  port_busy "$port" && { echo "port $port busy" >&2; return 1; }
  mkdir -p "$d/data"
  if [ ! -f "$d/parley.yaml" ]; then
    sed -e "s|@NODE@|$name|; s|@PORT@|$port|; s|@DB@|$DB|; s|@PREFIX@|$PREFIX|; s|@DATA@|$d/data|" \
        -e "s|redis://127.0.0.1:6379|redis://127.0.0.1:$RPORT|" bench/peers/parley-cluster.yaml > "$d/parley.yaml"
    printf 'archive:\n  nodeNumber: %s\n' "${name#n}" >> "$d/parley.yaml"
  fi
  ulimit -n "$(ulimit -Hn)"
  setsid bash -c "echo \$\$ > $d/pid; exec ./parley start -c $d/parley.yaml" >> "$d/stdout.log" 2>&1 < /dev/null &
  wait_port "$port"
}
node_kill() { local f=$DIR/$1/pid; [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null; rm -f "$f"; }
chaos=""
cleanup() {
  [ -n "$chaos" ] && kill "$chaos" 2>/dev/null || true
  for n in "${NODES[@]}"; do node_stop "$n" 15; done
  redis_kill || true
}
trap cleanup EXIT

# The node holding the most users (from the directory in Redis): a kill that hits clients.
busiest_node() {
  local n best=${NODES[$((RANDOM % 3))]} most=-1 c
  for n in "${NODES[@]}"; do
    c=$(redis-cli -p "$RPORT" scard "${PREFIX}n:$n:users" 2>/dev/null || echo 0)
    [ "${c:-0}" -gt "$most" ] && { most=${c:-0}; best=$n; }
  done
  echo "$best"
}

# Once the clients send, kills until they have sent every message, then brings every node back up.
chaos_loop() {
  local i=0 victim
  while [ ! -f "$DIR/traffic-started" ] && [ ! -f "$DIR/traffic-done" ]; do sleep 1; done
  while [ ! -f "$DIR/traffic-done" ]; do
    sleep "$EVERY"
    [ -f "$DIR/traffic-done" ] && break
    i=$((i + 1))
    if [ $((i % REDIS_EVERY)) -eq 0 ]; then
      say "chaos $i: Redis killed (SIGKILL), started again after ${DOWN}s"
      redis_kill; sleep "$DOWN"; redis_start
    else
      victim=$(busiest_node)
      say "chaos $i: node $victim killed (SIGKILL), started again after ${DOWN}s"
      node_kill "$victim"; sleep "$DOWN"; node_start "$victim" || say "node $victim did not start"
    fi
  done
  for n in "${NODES[@]}"; do [ -f "$DIR/$n/pid" ] || node_start "$n"; done
  say "chaos over: every node up"
  touch "$DIR/chaos-done"
}

# The upgrade procedure of docs/cluster.md, node after node, ROUNDS times over: SIGTERM, wait for
# the node to exit by itself, start it again, give it CHAOS_EVERY seconds, the next node.
rolling_loop() {
  local r n t0 t1
  while [ ! -f "$DIR/traffic-started" ] && [ ! -f "$DIR/traffic-done" ]; do sleep 1; done
  sleep "$EVERY"
  for r in $(seq 1 "$ROUNDS"); do
    for n in "${NODES[@]}"; do
      [ -f "$DIR/traffic-done" ] && { say "the load ended before round $r was done"; touch "$DIR/chaos-failed"; break 2; }
      t0=$(date +%s.%N)
      say "rolling $r/$ROUNDS: node $n stopped (SIGTERM)"
      # node_stop (bench/cluster-lib.sh) says on stderr when it had to SIGKILL
      if node_stop "$n" "$STOP_SECONDS" 2>&1 | grep -q SIGKILL; then
        say "node $n did not exit within ${STOP_SECONDS}s of SIGTERM: killed"; touch "$DIR/chaos-failed"
      fi
      t1=$(date +%s.%N)
      say "node $n exited after $(echo "$t1 - $t0" | bc)s; started again after ${DOWN}s"
      sleep "$DOWN"
      node_start "$n" || { say "node $n did not start"; touch "$DIR/chaos-failed"; }
      say "node $n listens again"
      sleep "$EVERY"
    done
  done
  for n in "${NODES[@]}"; do [ -f "$DIR/$n/pid" ] || node_start "$n" || true; done
  say "rolling restarts over: every node up"
  touch "$DIR/chaos-done"
}

cleanup
rm -rf "$DIR"; mkdir -p "$DIR"
if [ "$CHAOS" = rolling ]; then
  say "cluster soak $RUN_ID: $USERS users at $RATE/s, rolling restarts (SIGTERM) every ${EVERY}s, $ROUNDS rounds"
else
  say "cluster soak $RUN_ID: $USERS users, $MESSAGES messages at $RATE/s, a kill every ${EVERY}s (every ${REDIS_EVERY}th Redis)"
fi
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis_start
for n in "${NODES[@]}"; do node_start "$n"; done
bench/loadgen.sh register --users "$USERS" --rate 100 --port "$(port_of n1)" --server-name prep \
    --run-id "$RUN_ID-register" --results "$DIR/prep" | tee -a "$LOG" | grep -q "errors=0"
if [ "$CHAOS" = rolling ]; then
  rolling_loop & chaos=$!
  CLIENT_ARGS=(--until-chaos-done 1 --tail "$TAIL" --exact 1)
else
  chaos_loop & chaos=$!
  CLIENT_ARGS=()
fi
set +e
/usr/bin/python3 bench/cluster_soak.py --ports "$(port_of n1),$(port_of n2),$(port_of n3)" --users "$USERS" \
    --messages "$MESSAGES" --rate "$RATE" --resume "$RESUME" --dir "$DIR" "${CLIENT_ARGS[@]}" 2> "$DIR/clients.err" \
    | tee -a "$LOG"
status=${PIPESTATUS[0]}
set -e
touch "$DIR/traffic-done"  # the clients may have given up early: the kills end either way
wait "$chaos" 2>/dev/null || true; chaos=""
grep -h "WARN\|ERROR" "$DIR"/n*/stdout.log | cut -d" " -f2- | sort | uniq -c | sort -rn | head -20 > "$DIR/warnings.txt" || true
[ -f "$DIR/chaos-failed" ] && status=1
say "server warnings (top 20 kinds, counts): $DIR/warnings.txt; exit $status"
exit "$status"
