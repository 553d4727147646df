#!/bin/bash
# Runs the load generator pinned to GEN_CPUS (default CPU 0, the server gets CPU 1), as PROCS
# processes when one process's 20,000-file cap is not enough: each takes a round-robin slice of
# the users, they meet at file barriers between phases, and their histograms and counters are
# merged into one report at the end.
#
#   bench/loadgen.sh register|sessions|chat|offline [options]   (see: bench/loadgen.sh --help)
#   PROCS=2 bench/loadgen.sh sessions --steps 1000,10000,19000 --server-pid 1234 ...
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
PROCS=${PROCS:-1}
GEN_CPUS=${GEN_CPUS-0}
JAR="$HERE/loadgen/target/parley-loadgen.jar"
# The generator logs in with the server's SCRAM client (org.parley.auth), so the server is built too.
if [ ! -f "$JAR" ] || [ -n "$(find "$HERE/loadgen/src/main" "$HERE/loadgen/pom.xml" "$REPO/server/src/main/java/org/parley/auth" \
    -newer "$JAR" -print -quit)" ]; then
  (cd "$REPO" && ./mvnw -q -B -pl bench/loadgen -am package -DskipTests) >&2
fi
TS=""; [ -n "$GEN_CPUS" ] && TS="taskset -c $GEN_CPUS"
ulimit -n "$(ulimit -Hn)"
JOPTS=(-Xms1g -Xmx2g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
# GEN_JAVA_OPTS: more options for the generator's JVM (e.g. -Xlog:gc:file=...: its own pauses are in every latency)
read -r -a extra <<< "${GEN_JAVA_OPTS:-}"
JOPTS+=("${extra[@]}")
gen() { $TS "$JAVA_HOME/bin/java" "${JOPTS[@]}" -jar "$JAR" "$@"; }

if [ "$PROCS" -le 1 ] || [ "${1:-}" = merge ] || [ "${1:-}" = table ]; then
  cd "$REPO"; gen "$@"; exit
fi

# several processes: the options merge needs to label the report
report=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in --server-name|--run-id|--results) report+=("${args[$i]}" "${args[$((i + 1))]}") ;; esac
done
work=$(mktemp -d /tmp/loadgen.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$REPO"
pids=()
for ((i = 0; i < PROCS; i++)); do
  gen "$@" --slice "$i/$PROCS" --sync-dir "$work/sync" --partial "$work/part-$i" > "$work/log-$i" 2>&1 &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=$?; done
[ $rc -eq 0 ] || { tail -n 20 "$work"/log-* >&2; exit $rc; }
gen merge "${report[@]}" "$work"/part-*
