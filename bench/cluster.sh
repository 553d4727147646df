#!/bin/bash
# The cluster scenario: 1:1 chat between users on different nodes of a 2-node Parley cluster on
# this box, beside the same chat on one node, in one invocation, so the cross-node cost is a ratio
# of figures taken minutes apart on the same machine.
#
#   bench/cluster.sh                      # modes plain, single, cross
#   MODES="single cross" bench/cluster.sh
#   bench/cluster.sh table RUN_ID        # re-render a run's table from bench/results/results.csv
#
# Three nodes holding 19,000 sessions each with cross-node chat beside them (issue 15's scale
# point) is bench/cluster-scale.sh, beside this one: it needs three generator processes and its
# own Redis.
#
# Modes (each a fresh server process; every node pinned to CPU 1, so a 2-node cluster has the
# same CPU budget as one node; the generator on CPU 0):
#   plain   one Parley node as bench/run.sh runs it (SQLite, no cluster), for reference
#   single  one node in cluster mode (PostgreSQL + Redis) alone: every message stays on the node
#   cross   two cluster nodes n1 (:BASE_PORT) and n2 (:BASE_PORT+1); even users on n1, odd users
#           on n2, every sender writes to a user of the other parity: every message crosses nodes
#           through Redis pub/sub
#   group1  group chat (issue 13): GROUP_SHAPE rooms x occupants on one cluster node
#   group2  the same room(s) with the occupants spread over two nodes (user i on node i % 2; the
#           room's creator, user 1, is on n2, which owns the room): each message fans out on the
#           owner and crosses to the other node in one bus frame (not one per occupant there)
#   group3  the same over three nodes (n1, n2, n3 on BASE_PORT..BASE_PORT+2)
#   The group modes offer GROUP_COPIES delivered stanzas/s per step (a room of S occupants gets
#   COPIES/S messages/s), as bench/run.sh group does; their table is bench/loadgen.sh table.
#
# A fresh PostgreSQL database and a fresh Redis key prefix each invocation; users are registered by
# in-band registration and their SCRAM keys computed once, unmeasured (as run.sh does). Rows go to
# bench/results/results.csv; the table to stdout and bench/results/latest-cluster.md. Redis's CPU
# (not pinned, not in "server CPU") is reported beside the nodes'.
#
# Knobs (env): CHAT_USERS=1000  CHAT_RATES=1000,5000,10000,20000  STEP_SECONDS=10  LOGIN_RATE=500
#              MODES="plain single cross"  BASE_PORT=5522  CLUSTER_DB=parley_bench
#              GROUP_SHAPE=1x500  GROUP_COPIES=2000,5000,10000,20000  JOIN_RATE=200
#              PEERS_DIR=/tmp/peers (the nodes' config and data go to $PEERS_DIR/parley-cluster)
#              CLUSTER_PREFIX=parleybench:  RUN_ID  SCENARIO_TIMEOUT=180  WAIT_OTHERS=900 (seconds to
#              wait for another benchmark's generator to finish before measuring; 0 = do not wait)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
USERS=${CHAT_USERS:-1000}
RATES=${CHAT_RATES:-1000,5000,10000,20000}
MODES=${MODES:-plain single cross}
P1=${BASE_PORT:-5522}; P2=$((P1 + 1)); P3=$((P1 + 2))
GSHAPE=${GROUP_SHAPE:-1x500}; GROOMS=${GSHAPE%x*}; GSIZE=${GSHAPE#*x}
case " $MODES " in *" group"*) [ $((GROOMS * GSIZE)) -gt "$USERS" ] && USERS=$((GROOMS * GSIZE)) ;; esac
DB=${CLUSTER_DB:-parley_bench}
PREFIX=${CLUSTER_PREFIX:-parleybench:}
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-cluster}
RESULTS=bench/results
DIR=${PEERS_DIR:-/tmp/peers}/parley-cluster
PSQL=(psql -h 127.0.0.1 -U postgres -qtA -v ON_ERROR_STOP=1)
mkdir -p $RESULTS

# The table from results.csv: one row per mode and step, then cross-node cost against "single"
# (and cluster mode against "plain"). CPU per message = server CPU / delivered rate.
table() {
  awk -F, -v run="$1" '
    $1 == run && $4 == "chat" {
      m = $3; sub(/^parley-/, "", m); k = m SUBSEP ($7 + 0)
      if (!(m in seen)) { seen[m] = 1; order[++n] = m }
      rate[k] = $11; p50[k] = $12; p99[k] = $13; p999[k] = $14; cpu[k] = $18; gen[k] = $19; note[k] = $24
      rd = 0; if (match($24, /redis=[0-9.]+/)) rd = substr($24, RSTART + 6, RLENGTH - 6)
      redis[k] = rd; steps[$7 + 0] = 1
    }
    function us(c, r) { return r > 0 ? sprintf("%.1f", c * 10000 / r) : "" }
    function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "" }
    END {
      print "## cluster chat, run " run "\n"
      print "| mode | offered/s | delivered/s | p50 ms | p99 ms | p99.9 ms | server CPU % | per process (note) | generator CPU % | server µs/msg | incl. Redis µs/msg |"
      print "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
      ns = 0; for (s in steps) sl[++ns] = s + 0
      for (a = 1; a <= ns; a++) for (b = a + 1; b <= ns; b++) if (sl[b] < sl[a]) { t = sl[a]; sl[a] = sl[b]; sl[b] = t }
      for (i = 1; i <= n; i++) for (j = 1; j <= ns; j++) {
        k = order[i] SUBSEP sl[j]; if (!(k in rate)) continue
        printf "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", order[i], sl[j], rate[k], p50[k], p99[k], p999[k],
          cpu[k], note[k], gen[k], us(cpu[k], rate[k]), us(cpu[k] + redis[k], rate[k])
      }
      for (pair = 1; pair <= 2; pair++) {
        x = pair == 1 ? "cluster-2node-cross" : "cluster-1node"; y = pair == 1 ? "cluster-1node" : "plain"
        if (!((x in seen) && (y in seen))) continue
        print "\n### " x " / " y "\n"
        print "| offered/s | server CPU per msg | incl. Redis | p50 | p99 | p99.9 |"
        print "|---:|---:|---:|---:|---:|---:|"
        for (j = 1; j <= ns; j++) {
          a = x SUBSEP sl[j]; b = y SUBSEP sl[j]; if (!((a in rate) && (b in rate))) continue
          printf "| %d | %s | %s | %s | %s | %s |\n", sl[j], ratio(us(cpu[a], rate[a]), us(cpu[b], rate[b])),
            ratio(us(cpu[a] + redis[a], rate[a]), us(cpu[b] + redis[b], rate[b])),
            ratio(p50[a], p50[b]), ratio(p99[a], p99[b]), ratio(p999[a], p999[b])
        }
      }
    }' "$2"
}
if [ "${1:-}" = table ]; then table "${2:?run id}" $RESULTS/results.csv; exit; fi

. bench/cluster-lib.sh
cluster_build

# node_start NAME PORT plain|cluster: prints the JVM's pid (the launcher execs java)
node_start() {
  local name=$1 port=$2 kind=$3 d=$DIR/$1
  port_busy "$port" && { echo "port $port busy" >&2; return 1; }
  mkdir -p "$d/data"
  sed -e "s|@NODE@|$name|; s|@PORT@|$port|; s|@DB@|$DB|; s|@PREFIX@|$PREFIX|; s|@DATA@|$d/data|" \
      bench/peers/parley-cluster.yaml > "$d/parley.yaml"
  # plain: the same file without PostgreSQL and the cluster (SQLite under dataDir, one node)
  [ "$kind" = plain ] && sed -i '/^database:/,/^  poolSize:/d; /^cluster:/,$d' "$d/parley.yaml"
  # group modes: rooms of thousands (a room's default limit is 200 occupants)
  printf 'muc:\n  maxOccupants: 100000\n  roomsPerUser: 100000\n' >> "$d/parley.yaml"
  ulimit -n "$(ulimit -Hn)"
  setsid bash -c "echo \$\$ > $d/pid; exec taskset -c 1 ./parley start -c $d/parley.yaml" \
      > "$d/stdout.log" 2>&1 < /dev/null &
  wait_port "$port"; sleep 0.5; cat "$d/pid"
}
stop_all() { for n in n1 n2 n3 plain; do node_stop $n 10; done; }
wipe_redis() { redis-cli -h 127.0.0.1 --scan --pattern "${PREFIX}*" | xargs -r redis-cli -h 127.0.0.1 del >/dev/null; }
cleanup() { stop_all; wipe_redis || true; }
trap cleanup EXIT

# users u00001..uN on the server at $1, and their salted passwords in $2, unmeasured
prepare_users() {
  local port=$1 cache=$2
  bench/loadgen.sh register --users "$USERS" --rate 300 --port "$port" --server-name prep \
      --run-id "$RUN_ID-register" --results $DIR/prep | tee /dev/stderr | grep -q "errors=0"
  bench/loadgen.sh sessions --steps "$USERS" --hold 0 --login-rate 2000 --step-timeout 150 --port "$port" \
      --scram-cache "$cache" --server-name prep --run-id "$RUN_ID-prime" --results $DIR/prep >/dev/null
}

# do not measure beside another benchmark's generator (ours is not running yet): wait until none
# has run for 20 s, so that a series of runs between two of its servers is not mistaken for its end
waited=0; quiet=0; [ "${WAIT_OTHERS:-900}" = 0 ] && quiet=20   # 0: do not wait (smoke tests)
while [ $quiet -lt 20 ]; do
  if pgrep -f parley-loadgen >/dev/null; then
    [ $waited -eq 0 ] && echo "== waiting for another benchmark's load generator to finish" >&2
    quiet=0
  else
    quiet=$((quiet + 5))
  fi
  [ $waited -ge "${WAIT_OTHERS:-900}" ] && { echo "another load generator keeps running; giving up" >&2; exit 1; }
  [ $quiet -ge 20 ] && break
  sleep 5; waited=$((waited + 5))
done

stop_all
rm -rf $DIR; mkdir -p $DIR
echo "== fresh database $DB and Redis prefix $PREFIX (run $RUN_ID)" >&2
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
wipe_redis
REDIS_PID=$(pgrep -x redis-server | head -1 || true)

CHAT=(chat --users "$USERS" --rates "$RATES" --step-seconds "${STEP_SECONDS:-10}" --login-rate "${LOGIN_RATE:-500}"
      --run-id "$RUN_ID" --results $RESULTS)
WATCH_REDIS=(); [ -n "$REDIS_PID" ] && WATCH_REDIS=(--watch "redis=$REDIS_PID")
chat() { timeout "${SCENARIO_TIMEOUT:-180}" bench/loadgen.sh "${CHAT[@]}" "$@" || echo "   chat failed or timed out" >&2; }
GCOPIES=${GROUP_COPIES:-2000,5000,10000,20000}
GRATES=$(for c in ${GCOPIES//,/ }; do awk -v c=$c -v n=$GSIZE 'BEGIN{printf "%g,", c/n}'; done)
GROUP=(group --rooms "$GROOMS" --room-size "$GSIZE" --rates "${GRATES%,}" --step-seconds "${STEP_SECONDS:-10}"
       --login-rate "${LOGIN_RATE:-500}" --join-rate "${JOIN_RATE:-200}" --warmup "${GROUP_WARMUP:-20}" --run-id "$RUN_ID" --results $RESULTS)
group() { timeout "${SCENARIO_TIMEOUT:-600}" bench/loadgen.sh "${GROUP[@]}" "$@" || echo "   group failed or timed out" >&2; }
GROUP_SERVERS=""

for mode in $MODES; do
  case $mode in
    plain)
      pid=$(node_start plain "$P1" plain)
      echo "== plain (SQLite, no cluster) pid $pid: registering and priming" >&2
      prepare_users "$P1" $DIR/scram-plain
      node_stop plain 10; pid=$(node_start plain "$P1" plain)   # fresh process for the measurement
      chat --port "$P1" --server-pid "$pid" --watch "node=$pid" "${WATCH_REDIS[@]}" \
          --scram-cache $DIR/scram-plain --server-name parley-plain
      node_stop plain 10 ;;
    single|cross)
      if [ ! -f $DIR/cluster-users ]; then
        pid=$(node_start n1 "$P1" cluster)
        echo "== cluster users: registering and priming on n1 (pid $pid)" >&2
        prepare_users "$P1" $DIR/scram-cluster
        node_stop n1 10; touch $DIR/cluster-users
      fi
      if [ $mode = single ]; then
        pid=$(node_start n1 "$P1" cluster)
        echo "== single: cluster node n1 alone, pid $pid" >&2
        chat --port "$P1" --server-pid "$pid" --watch "n1=$pid" "${WATCH_REDIS[@]}" \
            --scram-cache $DIR/scram-cluster --server-name parley-cluster-1node
        node_stop n1 10
      else
        pid1=$(node_start n1 "$P1" cluster); pid2=$(node_start n2 "$P2" cluster)
        echo "== cross: n1 pid $pid1 (:$P1, even users), n2 pid $pid2 (:$P2, odd users)" >&2
        chat --ports "$P1,$P2" --cross-ports --server-pid "$pid1,$pid2" --watch "n1=$pid1" --watch "n2=$pid2" \
            "${WATCH_REDIS[@]}" --scram-cache $DIR/scram-cluster --server-name parley-cluster-2node-cross
        node_stop n1 10; node_stop n2 10
      fi ;;
    group1|group2|group3)
      if [ ! -f $DIR/cluster-users ]; then
        pid=$(node_start n1 "$P1" cluster)
        echo "== cluster users: registering and priming on n1 (pid $pid)" >&2
        prepare_users "$P1" $DIR/scram-cluster
        node_stop n1 10; touch $DIR/cluster-users
      fi
      k=${mode#group}; nodes=(n1 n2 n3); ports=("$P1" "$P2" "$P3"); pids=(); watch=()
      for i in $(seq 0 $((k - 1))); do
        pids+=("$(node_start ${nodes[$i]} ${ports[$i]} cluster)"); watch+=(--watch "${nodes[$i]}=${pids[$i]}")
      done
      plist=$(IFS=,; echo "${ports[*]:0:$k}"); pidlist=$(IFS=,; echo "${pids[*]}")
      name=parley-cluster-group-${k}node; GROUP_SERVERS="$GROUP_SERVERS,$name"
      echo "== $mode: $GSHAPE over ${nodes[*]:0:$k} (ports $plist, pids $pidlist)" >&2
      group --ports "$plist" --server-pid "$pidlist" "${watch[@]}" "${WATCH_REDIS[@]}" \
          --scram-cache $DIR/scram-cluster --server-name "$name"
      for i in $(seq 0 $((k - 1))); do node_stop ${nodes[$i]} 10; done ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  sleep 2
done

{ echo "bench/cluster.sh, $(date -u +%FT%TZ), $USERS users, steps $RATES msgs/s x ${STEP_SECONDS:-10} s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo; table "$RUN_ID" $RESULTS/results.csv
  if [ -n "$GROUP_SERVERS" ]; then
    echo; bench/loadgen.sh table --good-p99-ms 100 --run-id "$RUN_ID" --scenario group --servers "${GROUP_SERVERS#,}" \
        --results $RESULTS --out $RESULTS/latest-cluster-group.md
  fi; } | tee $RESULTS/latest-cluster.md
