#!/bin/bash
# XEP-0363 file sharing, side by side: N clients each upload a file through the server's upload
# service at once, then all download theirs at once (bench/loadgen `upload` scenario), against
# Parley (upload.storage: files) and Prosody 0.12's mod_http_file_share, one after the other.
# Each server is pinned to CPU 1 and the generator to CPU 0; the server's RSS is sampled every
# 100 ms while the bytes move.
#
#   bench/upload.sh [parley] [prosody]          (bench/peers/sysprep.sh installs Prosody)
#
# Env: UPLOAD_CLIENTS=50  FILE_MB=10  BENCH_PORT=5522 (c2s)  BENCH_HTTP_PORT=5580
#      UPLOAD_DIR=/tmp/peers-upload (each server's config and data, wiped at every run)
#      RUN_ID  SERVER_CPUS=1  GEN_CPUS=0  PARLEY_JAVA_OPTS (default: the parley launcher's)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
SERVERS=("$@"); [ ${#SERVERS[@]} -gt 0 ] || SERVERS=(parley prosody)
CLIENTS=${UPLOAD_CLIENTS:-50}; FILE_MB=${FILE_MB:-10}
PORT=${BENCH_PORT:-5522}; HTTP_PORT=${BENCH_HTTP_PORT:-5580}
D=${UPLOAD_DIR:-/tmp/peers-upload}
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-upload}
RESULTS=bench/results
SERVER_CPUS=${SERVER_CPUS-1}
TS=""; [ -n "$SERVER_CPUS" ] && TS="taskset -c $SERVER_CPUS"
mkdir -p $RESULTS

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
./mvnw -q -B -pl server,bench/loadgen -am package -DskipTests

wait_port() {
  for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.5; done
  echo "nothing listens on $1" >&2; return 1
}
busy() { (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; }

start_parley() {
  local dir=$D/parley
  mkdir -p $dir/data
  # the chat bench's config with its http block (ports off) replaced by the one below
  sed -e "s/5522/$PORT/" -e "s|/tmp/peers/parley/data|$dir/data|" bench/peers/parley.yaml \
    | awk '/^http:/ {skip = 1; next} skip && /^[^ ]/ {skip = 0} !skip' > $dir/parley.yaml
  cat >> $dir/parley.yaml <<EOF
archive:
  enabled: false
http:
  bindAddress: 127.0.0.1
  port: $HTTP_PORT
  tlsPort: -1
  publicUrl: http://127.0.0.1:$HTTP_PORT
upload:
  storage: files
  maxFileSize: 104857600
  userQuotaMb: 100000
EOF
  ulimit -n "$(ulimit -Hn)"
  setsid bash -c "echo \$\$ > $dir/pid; exec $TS ./parley start -c $dir/parley.yaml" > $dir/stdout.log 2>&1 < /dev/null &
  wait_port $PORT; wait_port $HTTP_PORT; cat $dir/pid
}

start_prosody() {
  local dir=$D/prosody
  mkdir -p $dir/data $dir/certs
  sed -e "s/5522/$PORT/" -e "s|/tmp/peers/prosody|$dir|g" \
      -e "s|^http_ports = { }|http_ports = { $HTTP_PORT }\nhttp_interfaces = { \"127.0.0.1\" }\nhttp_external_url = \"http://127.0.0.1:$HTTP_PORT/\"\nhttp_default_host = \"upload.bench.local\"|" \
      bench/peers/configs/prosody/prosody.cfg.lua > $dir/prosody.cfg.lua
  cat >> $dir/prosody.cfg.lua <<EOF

-- XEP-0363 (bench/upload.sh): files up to 100 MiB, no practical quota.
Component "upload.bench.local" "http_file_share"
	http_file_share_size_limit = 100*1024*1024
	http_file_share_daily_quota = 1024*1024*1024*1024
	http_file_share_global_quota = 1024*1024*1024*1024
EOF
  chown -R prosody:prosody $dir
  ulimit -n "$(ulimit -Hn)"
  cd $dir
  HOME=/var/lib/prosody setsid $TS setpriv --reuid prosody --regid prosody --init-groups \
      /usr/bin/prosody --config $dir/prosody.cfg.lua -F > $dir/stdout.log 2>&1 < /dev/null &
  cd "$REPO"
  wait_port $PORT; wait_port $HTTP_PORT; sleep 0.5; cat $dir/prosody.pid
}

stop_server() {
  local p=$1
  kill -TERM "$p" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.25; done
  echo "server $p did not stop, SIGKILL" >&2; kill -KILL "$p" 2>/dev/null || true; sleep 0.5
}

current=""
trap '[ -n "$current" ] && stop_server "$current"' EXIT
for s in "${SERVERS[@]}"; do
  echo "== upload on $s (run $RUN_ID): $CLIENTS clients x $FILE_MB MB" >&2
  if busy $PORT || busy $HTTP_PORT; then echo "port $PORT or $HTTP_PORT busy" >&2; exit 1; fi
  rm -rf "${D:?}/$s"
  pid=$(start_$s | tail -1); current=$pid
  echo "   $s pid $pid" >&2
  bench/loadgen.sh register --users "$CLIENTS" --rate 100 --port "$PORT" --server-name "$s" \
      --run-id "$RUN_ID-register" --results /tmp/upload-register-results > /dev/null
  bench/loadgen.sh upload --users "$CLIENTS" --file-mb "$FILE_MB" --port "$PORT" --server-pid "$pid" \
      --server-name "$s" --scram-cache "$D/$s/scram-cache" --run-id "$RUN_ID" --results $RESULTS \
    || echo "   upload on $s failed" >&2
  stop_server "$pid"; current=""
  echo "   $s files on disk afterwards: $(find "$D/$s/data" -type f -size +1M | wc -l)" >&2
done
