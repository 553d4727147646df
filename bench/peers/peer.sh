#!/bin/bash
# Start / stop / inspect a server under benchmark (Parley from this repository, or a peer
# from its Debian package), with its own config and data under /tmp/peers/<name>/, listening
# on 127.0.0.1:$BENCH_PORT only (default 5522, off the standard 5222 so a developer's server
# there does not collide). One server at a time: they all take that port.
#
#   peer.sh start parley|ejabberd|prosody   # prints the server's OS PID
#   peer.sh stop  parley|ejabberd|prosody
#   peer.sh pid   parley|ejabberd|prosody   # OS PID of the process to sample
#   peer.sh clean parley|ejabberd|prosody   # wipe /tmp/peers/<name> (accounts)
#   peer.sh ctl   ejabberd|prosody ARGS     # ejabberdctl / prosodyctl with our config
#
# Env: SERVER_CPUS (taskset cpu list for the server, default "1"; "" = no pinning)
#      PROSODY_GC=generational (optional; default = Prosody's incremental GC)
#      BENCH_PORT (default 5522; the configs say 5522 and are rewritten when it differs)
#      PEERS_DIR (default /tmp/peers): where each server's config and data live, so that two people
#                  benchmarking on one machine (each with their own BENCH_PORT) do not share them
#      PEER_TLS=1 (tls scenario: a self-signed bench.local certificate and STARTTLS for the
#                  peers; Parley always offers STARTTLS with its generated certificate)
#      PARLEY_JAVA_OPTS (optional JVM options for Parley, e.g. -Xmx; default: the parley launcher's)
#      MUC=on|off (default off): group chat at conference.bench.local, limits lifted for rooms of
#                  thousands (Parley muc.*, ejabberd mod_muc max_users, Prosody's muc component
#                  without room locking, writing at once, room cache for 10,000 rooms); each keeps
#                  its own bound on presences in a large room (Parley muc.maxJoinPresences 1000 and
#                  ejabberd max_users_presence 1000: past it, a participant's join is not broadcast to
#                  every occupant; Prosody has none, so run.sh makes its rooms above 1,000 with
#                  muc#roomconfig_presencebroadcast = moderator)
#      PEERS_DIR (default /tmp/peers: where each server's config and data go) and EJD_NODE (default
#                  benchejd: ejabberd's Erlang node name), so two people can bench on one machine
#      ARCHIVE=on|off (default off): message archive (XEP-0313) for every user, each server with its
#                  own backend: Parley archive.enabled (SQLite); ejabberd mod_mam default: always
#                  (mnesia); Prosody mod_mam with default_archive_policy = true (internal storage)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CMD=${1:?start|stop|pid}; NAME=${2:?parley|ejabberd|prosody}
PEERS=${PEERS_DIR:-/tmp/peers}
DIR=$PEERS/$NAME
EJD_NODE=${EJD_NODE:-benchejd}
SERVER_CPUS=${SERVER_CPUS-1}
PORT=${BENCH_PORT:-5522}
ARCHIVE=${ARCHIVE:-off}
MUC=${MUC:-off}
case "$ARCHIVE" in on|off) ;; *) echo "ARCHIVE must be on or off, got $ARCHIVE" >&2; exit 2 ;; esac
tls_cert() { # self-signed bench.local certificate, as prosody (crt+key) and ejabberd (one pem) want it
  mkdir -p $DIR/certs
  [ -f $DIR/certs/bench.local.crt ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=bench.local \
      -addext subjectAltName=DNS:bench.local -keyout $DIR/certs/bench.local.key -out $DIR/certs/bench.local.crt 2>/dev/null
  cat $DIR/certs/bench.local.key $DIR/certs/bench.local.crt > $DIR/certs/bench.pem
}
port_fix() {
  [ "$PORT" = 5522 ] || sed -i "s/5522/$PORT/" "$@"
  [ "$PEERS" = /tmp/peers ] || sed -i "s#/tmp/peers#$PEERS#g" "$@"
  [ "$EJD_NODE" = benchejd ] || sed -i "s/benchejd@/$EJD_NODE@/" "$@"
}
TS=""; [ -n "$SERVER_CPUS" ] && TS="taskset -c $SERVER_CPUS"

wait_port() {  # wait until 127.0.0.1:$PORT accepts (max 60 s)
  for _ in $(seq 1 120); do
    if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "server did not open $PORT" >&2; return 1
}

EJ() { HOME=/var/lib/ejabberd setpriv --reuid ejabberd --regid ejabberd --init-groups "$@"; }
ejd_pid() { # the beam.smp of our node (its cmdline carries our node name)
  for p in $(pgrep -u ejabberd beam.smp || true); do
    tr '\0' ' ' < /proc/$p/cmdline | grep -q "$EJD_NODE@localhost" && echo $p
  done | head -1
}
pro_pid() { [ -f $DIR/prosody.pid ] && cat $DIR/prosody.pid || true; }
par_pid() { [ -f $DIR/parley.pid ] && kill -0 "$(cat $DIR/parley.pid)" 2>/dev/null && cat $DIR/parley.pid || true; }

case "$CMD:$NAME" in
start:parley)
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT busy" >&2; exit 1; fi
  mkdir -p $DIR/data   # keeps existing accounts; "clean" wipes
  [ -f "$REPO/server/target/parley-server.jar" ] || (cd "$REPO" && ./mvnw -q -B -pl server -am package -DskipTests) >&2
  cp $HERE/parley.yaml $DIR/parley.yaml; port_fix $DIR/parley.yaml; sed -i "s#/tmp/peers/parley#$DIR#" $DIR/parley.yaml
  printf 'archive:\n  enabled: %s\n' "$([ "$ARCHIVE" = on ] && echo true || echo false)" >> $DIR/parley.yaml
  [ "$MUC" = on ] && printf 'muc:\n  maxOccupants: 100000\n  roomsPerUser: 100000\n' >> $DIR/parley.yaml
  ulimit -n "$(ulimit -Hn)"
  # the launcher execs java, so the pid written here is the JVM's own
  cd "$REPO"
  setsid bash -c "echo \$\$ > $DIR/parley.pid; exec $TS ./parley start -c $DIR/parley.yaml" \
      > $DIR/stdout.log 2>&1 < /dev/null &
  wait_port; sleep 0.5; par_pid ;;
stop:parley)
  p=$(par_pid); if [ -n "$p" ]; then kill -TERM "$p";
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && { echo "parley $p did not stop, SIGKILL" >&2; kill -KILL "$p"; sleep 0.5; }
    rm -f $DIR/parley.pid; fi ;;
pid:parley) par_pid ;;
start:ejabberd)
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT busy" >&2; exit 1; fi
  mkdir -p $DIR/db $DIR/logs   # keeps existing accounts; "clean" wipes
  cp $HERE/configs/ejabberd/ejabberd.yml $HERE/configs/ejabberd/ejabberdctl.cfg $DIR/
  cp /etc/ejabberd/inetrc $DIR/ 2>/dev/null || true
  port_fix $DIR/ejabberd.yml $DIR/ejabberdctl.cfg
  [ "$ARCHIVE" = on ] && sed -i 's/^modules:$/modules:\n  mod_mam:\n    default: always/' $DIR/ejabberd.yml
  [ "$MUC" = on ] && sed -i 's/^modules:$/modules:\n  mod_muc:\n    host: conference.bench.local\n    max_users: 100000\n    max_users_admin_threshold: 100000\n    max_user_conferences: 100000\n    min_message_interval: 0\n    min_presence_interval: 0\n    default_room_options:\n      max_users: 100000/' $DIR/ejabberd.yml
  if [ -n "${PEER_TLS:-}" ]; then
    tls_cert; sed -i "s/    starttls: false/    starttls: true/" $DIR/ejabberd.yml
    printf 'certfiles:\n  - "%s"\n' "$DIR/certs/bench.pem" >> $DIR/ejabberd.yml
  fi
  chown -R ejabberd:ejabberd $DIR
  # raise nofile to the hard cap (20000 in this sandbox) and switch user with
  # setpriv (no PAM, so the limit survives; su/runuser would reset it to 1024)
  ulimit -n "$(ulimit -Hn)"
  cd $DIR
  HOME=/var/lib/ejabberd $TS setpriv --reuid ejabberd --regid ejabberd --init-groups \
      /usr/sbin/ejabberdctl --config-dir $DIR --config $DIR/ejabberd.yml \
      --ctl-config $DIR/ejabberdctl.cfg --logs $DIR/logs --spool $DIR/db start
  EJ /usr/sbin/ejabberdctl --config-dir $DIR --ctl-config $DIR/ejabberdctl.cfg --logs $DIR/logs --spool $DIR/db started
  wait_port; ejd_pid ;;
stop:ejabberd)
  EJ /usr/sbin/ejabberdctl --config-dir $DIR --ctl-config $DIR/ejabberdctl.cfg --logs $DIR/logs --spool $DIR/db stop || true
  EJ /usr/sbin/ejabberdctl --config-dir $DIR --ctl-config $DIR/ejabberdctl.cfg --logs $DIR/logs --spool $DIR/db stopped || true ;;
pid:ejabberd) ejd_pid ;;
ctl:ejabberd) shift 2; cd $DIR; EJ /usr/sbin/ejabberdctl --config-dir $DIR --ctl-config $DIR/ejabberdctl.cfg --logs $DIR/logs --spool $DIR/db "$@" ;;
start:prosody)
  if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT busy" >&2; exit 1; fi
  mkdir -p $DIR/data $DIR/certs   # keeps existing accounts; "clean" wipes
  cp $HERE/configs/prosody/prosody.cfg.lua $DIR/
  port_fix $DIR/prosody.cfg.lua
  if [ "$MUC" = on ]; then
    # Rooms of thousands: server_epoll writes what a burst of joins routes only once the whole batch
    # of ready sockets is handled (thousands of joins, each costing O(occupants) in Lua), so no joiner
    # saw its self-presence for minutes (143 of 5,000 in 5 min); opportunistic_writes sends at once.
    # muc_room_cache_size: 100 rooms live by default, and the 100x100 shape must not swap rooms to disk.
    sed -i 's/^\ttcp_backlog = 4096;.*$/&\n\topportunistic_writes = true;/' $DIR/prosody.cfg.lua
    printf '\nComponent "conference.bench.local" "muc"\n\tmuc_room_locking = false\n\tmuc_room_cache_size = 10000\n' >> $DIR/prosody.cfg.lua
  fi
  if [ "$ARCHIVE" = on ]; then
    sed -i 's/^\t"ping";/\t"ping";\n\t"mam";/' $DIR/prosody.cfg.lua
    printf 'default_archive_policy = true\n' >> $DIR/prosody.cfg.lua
  fi
  if [ -n "${PEER_TLS:-}" ]; then tls_cert; sed -i 's/^\t"saslauth";/\t"saslauth";\n\t"tls";/' $DIR/prosody.cfg.lua; fi
  # PROSODY_GC=generational: Lua 5.4 generational GC instead of Prosody's default
  # incremental GC (threshold 105), which dominates CPU under message load
  if [ -n "${PROSODY_GC:-}" ]; then
    sed -i "s|^network_backend = \"epoll\"|gc = { mode = \"$PROSODY_GC\" }\nnetwork_backend = \"epoll\"|" $DIR/prosody.cfg.lua
  fi
  chown -R prosody:prosody $DIR
  ulimit -n "$(ulimit -Hn)"
  # run as the prosody user in the foreground, detached from this shell
  cd $DIR
  HOME=/var/lib/prosody setsid $TS setpriv --reuid prosody --regid prosody --init-groups /usr/bin/prosody --config $DIR/prosody.cfg.lua -F \
      > $DIR/stdout.log 2>&1 < /dev/null &
  wait_port; sleep 0.5; pro_pid ;;
stop:prosody)
  # prosody 0.12.3 can hang in shutdown (mod_c2s.lua:469 error) while clients are
  # still connected: SIGTERM, wait 10 s, then SIGKILL that one pid
  p=$(pro_pid); if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill -TERM "$p";
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && { echo "prosody $p hung in shutdown, SIGKILL" >&2; kill -KILL "$p"; sleep 0.5; }
    rm -f $DIR/prosody.pid; fi ;;
pid:prosody) pro_pid ;;
ctl:prosody) shift 2; HOME=/var/lib/prosody setpriv --reuid prosody --regid prosody --init-groups /usr/bin/prosodyctl --config $DIR/prosody.cfg.lua "$@" ;;
clean:*) [ -n "$( $0 pid $NAME )" ] && { echo "stop $NAME first" >&2; exit 1; }; rm -rf "$DIR" ;;
*) echo "usage: $0 start|stop|pid|ctl|clean parley|ejabberd|prosody" >&2; exit 2 ;;
esac
