#!/bin/bash
# One-time host prep for the loopback XMPP bench (idempotent; needs root).
# - installs the peers without letting their init scripts start daemons
# - widens the ephemeral port range and accept backlogs (loopback only matters)
set -euo pipefail
if ! dpkg -s ejabberd prosody >/dev/null 2>&1; then
  # policy-rc.d exit 101 = "don't start services from maintainer scripts"
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q ejabberd prosody
fi
# make sure the packaged daemons are not running (only the ones started by init)
for svc in ejabberd prosody; do
  if [ -x /etc/init.d/$svc ]; then /etc/init.d/$svc stop >/dev/null 2>&1 || true; fi
done
sysctl -q -w net.ipv4.ip_local_port_range="1024 65000" || true
sysctl -q -w net.core.somaxconn=65535 || true
sysctl -q -w net.ipv4.tcp_max_syn_backlog=65535 || true
echo "nofile hard limit: $(ulimit -Hn)  (per-process cap on sessions: server AND load generator)"
ss -ltn | grep -E ':5222 ' && echo "WARNING: something already listens on 5222" || true
