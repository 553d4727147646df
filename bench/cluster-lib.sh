# Shell functions the cluster benches share: bench/cluster.sh, cluster-soak.sh and
# cluster-scale.sh source this file from the repository's root.

# The server and the load generator, built before anything is timed.
cluster_build() {
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
  ./mvnw -q -B -pl server,bench/loadgen -am package -DskipTests
  # The nodes started from now on run this build, even if a source is edited during the run.
  export PARLEY_NO_BUILD=1
}

port_busy() { (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; }

# wait_port PORT: until something listens there, at most 120 s (a node starting on a loaded box
# has taken over 60 s)
wait_port() {
  for _ in $(seq 1 240); do port_busy "$1" && return 0; sleep 0.5; done
  echo "nothing listens on $1" >&2; return 1
}

# A redis-server of the bench's own on $RPORT, without persistence, its files in $DIR (pid in
# $DIR/redis.pid): the shared Redis on 6379 is never touched.
redis_start() {
  port_busy "$RPORT" && { echo "port $RPORT busy" >&2; return 1; }
  redis-server --port "$RPORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DIR" \
      --logfile "$DIR/redis.log" --daemonize yes --pidfile "$DIR/redis.pid"
  wait_port "$RPORT"
}

# node_stop NAME [SECONDS]: SIGTERM to the process whose pid is in $DIR/NAME/pid, SIGKILL (said
# on stderr) if it has not stopped after SECONDS (default 20)
node_stop() {
  local f=$DIR/$1/pid p
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 $(( ${2:-20} * 4 ))); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$p" 2>/dev/null && { echo "node $1 ($p) did not stop, SIGKILL" >&2; kill -KILL "$p"; sleep 0.5; }
  rm -f "$f"
}
