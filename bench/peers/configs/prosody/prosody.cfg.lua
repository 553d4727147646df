-- Prosody 0.12 benchmark config (loopback only, NO TLS, NO rate limits).
-- Used by bench/peers/peer.sh start prosody (copied into /tmp/peers/prosody/).
-- Do NOT use in production: plaintext passwords, plain auth without TLS.

daemonize = false
pidfile = "/tmp/peers/prosody/prosody.pid"
data_path = "/tmp/peers/prosody/data"
plugin_paths = { }
admins = { }

network_backend = "epoll"
network_settings = {
	tcp_backlog = 4096;  -- default 128; generous like the ejabberd listener
}
certificates = "/tmp/peers/prosody/certs"  -- empty: no TLS offered

-- Stock Debian module set minus tls, limits (bandwidth limiter), dialback/s2s,
-- invites*, admin_* and posix (we run in the foreground under our own control).
modules_enabled = {
	"disco";
	"roster";
	"saslauth";
	"blocklist";
	"bookmarks";
	"carbons";
	"pep";
	"private";
	"smacks";
	"vcard4";
	"vcard_legacy";
	"csi_simple";
	"ping";
	"register";
	"time";
	"uptime";
	"version";
}
-- offline storage stays (auto-loaded), like ejabberd mod_offline
modules_disabled = { "s2s"; }

c2s_ports = { 5522 }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { }
component_ports = { }
http_ports = { }
https_ports = { }
c2s_direct_tls_ports = { }

-- mod_blocklist keeps only 64 users' blocklists in its LRU by default; with
-- 1000+ active users every message then costs ~3 file opens (blocklist, legacy
-- privacy list, accounts) and Prosody tops out near 1k msgs/s on one core.
-- Sized for all bench users (see RESULTS.md for the stock-64 numbers).
blocklist_cache_size = 25000

c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
allow_registration = true
-- mod_register_limits: loopback 127.0.0.1 / ::1 are allow-listed by default; no throttle
registration_throttle_max = nil

log = {
	{ levels = { min = "warn" }, to = "file", filename = "/tmp/peers/prosody/prosody.log" };
}

VirtualHost "bench.local"
