#!/bin/bash
# Fills Parley's archive (SQLite, the bench server's data under /tmp/peers/parley) with
# synthetic one-to-one history by direct SQL, for the history scenario: MESSAGES messages
# between random pairs of USERS users (u00001..), spread evenly over the last DAYS days, each
# kept in both archives (one row, as the server writes them), full-text index included.
# Run it with the server stopped. Idempotent: tops the archive up to MESSAGES rows.
#
#   bench/history-fill.sh                       # 10,000,000 messages, 1,000 users, 30 days
#   MESSAGES=1000000 bench/history-fill.sh
#
# Env: MESSAGES=10000000 USERS=1000 DAYS=30 DOMAIN=bench.local CHUNK=1000000
#      DB=/tmp/peers/parley/data/parley.db (must exist: start Parley once so it creates the schema)
set -euo pipefail
MESSAGES=${MESSAGES:-10000000}; USERS=${USERS:-1000}; DAYS=${DAYS:-30}; DOMAIN=${DOMAIN:-bench.local}
CHUNK=${CHUNK:-1000000}
DB=${DB:-/tmp/peers/parley/data/parley.db}
[ -f "$DB" ] || { echo "no database $DB: start Parley once (bench/peers/peer.sh start parley) first" >&2; exit 1; }
have=$(sqlite3 "$DB" "SELECT COUNT(*) FROM archive")
[ "$have" -ge "$MESSAGES" ] && { echo "archive holds $have messages already (>= $MESSAGES)"; exit 0; }
EPOCH=1577836800000                      # the archive ids' epoch, 2020-01-01 (ArchiveIds)
now=$(( $(date +%s%3N) - EPOCH - 3600000 ))  # the newest message an hour ago
span=$(( DAYS * 86400000 ))
step=$(( span / MESSAGES )); [ "$step" -ge 1 ] || step=1
start=$(( now - step * MESSAGES ))
echo "filling $DB: $have -> $MESSAGES messages, $USERS users, one every $step ms over $DAYS days" >&2
t0=$(date +%s)
done_=$have
# The archive table has no index of its own (db/mam/sqlite/V6): rows go in as appends, and the
# tables the server fills in deferred batches are built at the end, from sorted data.
[ -n "$(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE name = 'archive_sent'")" ] ||
  { echo "unexpected archive schema in $DB (no archive_sent): start this Parley once on it first" >&2; exit 1; }
bulk=$([ $(( MESSAGES - have )) -gt $(( have )) ] && echo 1 || echo 0)
if [ "$bulk" = 1 ]; then
  note=""
else
  # the server notes its new rows for the full-text index itself (SqlArchiveStore); here a
  # trigger of this session does it, and the backlog is indexed at the end
  note="CREATE TEMP TRIGGER fill_note AFTER INSERT ON main.archive WHEN new.body IS NOT NULL BEGIN
    INSERT INTO archive_fts_pending (id) VALUES (new.id); END;"
fi
while [ "$done_" -lt "$MESSAGES" ]; do
  n=$(( MESSAGES - done_ )); [ "$n" -gt "$CHUNK" ] && n=$CHUNK
  # id = (ms << 22) | (node 1023 << 12) | (i & 4095): node 1023 keeps them apart from live ids (node 0)
  # MATERIALIZED: otherwise SQLite evaluates random() again at each use of s and r, and a row's
  # sender, recipient, from_jid and to_jid named four unrelated users (fills before stop 26)
  sqlite3 "$DB" <<SQL
PRAGMA synchronous = OFF;
$note
BEGIN;
WITH RECURSIVE n(i) AS (SELECT $done_ + 1 UNION ALL SELECT i + 1 FROM n WHERE i < $done_ + $n),
pairs AS MATERIALIZED (SELECT i, printf('u%05d', 1 + abs(random()) % $USERS) AS s, printf('u%05d', 1 + abs(random()) % $USERS) AS r FROM n)
INSERT INTO archive (id, sender, recipient, from_jid, from_resource, to_jid, to_resource, body, stanza)
SELECT (($start + i * $step) << 22) | (1023 << 12) | (i & 4095), s, CASE WHEN r = s THEN NULL ELSE r END,
       s || '@$DOMAIN', 'bench', r || '@$DOMAIN', NULL,
       'history ' || i || ' the quick brown fox jumps over the lazy dog',
       '<message xmlns=''jabber:client'' type=''chat'' from=''' || s || '@$DOMAIN/bench'' to=''' || r || '@$DOMAIN''><body>history '
       || i || ' the quick brown fox jumps over the lazy dog</body></message>'
FROM pairs;
COMMIT;
SQL
  done_=$(( done_ + n ))
  echo "  $done_ messages ($(( $(date +%s) - t0 )) s)" >&2
done
if [ "$bulk" = 1 ]; then
  # every row, old and new, into the full-text index at once
  sqlite3 "$DB" "BEGIN; INSERT INTO archive_fts (archive_fts) VALUES ('rebuild'); DELETE FROM archive_fts_pending; COMMIT;"
else
  # the server indexes new rows in deferred batches; this backlog is done here
  sqlite3 "$DB" "BEGIN; INSERT INTO archive_fts (rowid, body) SELECT a.id, a.body FROM archive_fts_pending p
    JOIN archive a ON a.id = p.id ORDER BY p.id; DELETE FROM archive_fts_pending; COMMIT;"
fi
echo "  full-text index built ($(( $(date +%s) - t0 )) s)" >&2
# The conversation table and the owners' side tables (db/mam/sqlite/V4, V6), which the server
# fills in deferred batches above their mark: the filled rows (node 1023, below the mark when the
# server ran before) and anything above it, so the mark may move to the newest row. A bulk fill
# builds them again from sorted data.
conv="SELECT min(from_jid, to_jid), max(from_jid, to_jid), id FROM archive"
sent="SELECT sender, id FROM archive WHERE sender IS NOT NULL"
received="SELECT recipient, id FROM archive WHERE recipient IS NOT NULL"
# Stages the server left (db/mam/sqlite/V5, V6) are in the tables now: the mark must not move back to them.
unstage="DELETE FROM archive_conversation_staged; DELETE FROM archive_owner_staged;
  UPDATE archive_conversation_mark SET staged_to = NULL;"
if [ "$bulk" = 1 ]; then
  sqlite3 "$DB" "PRAGMA cache_size = -262144; BEGIN; DELETE FROM archive_conversation;
    DELETE FROM archive_sent; DELETE FROM archive_received;
    INSERT INTO archive_conversation (low, high, id) $conv ORDER BY 1, 2, 3;
    INSERT INTO archive_sent (owner, id) $sent ORDER BY 1, 2;
    INSERT INTO archive_received (owner, id) $received ORDER BY 1, 2;
    UPDATE archive_conversation_mark SET last_id = (SELECT coalesce(max(id), 0) FROM archive); $unstage COMMIT;"
else
  new="(id > (SELECT last_id FROM archive_conversation_mark) OR ((id >> 12) & 1023) = 1023)"
  sqlite3 "$DB" "PRAGMA cache_size = -262144; BEGIN;
    INSERT OR IGNORE INTO archive_conversation (low, high, id) $conv WHERE $new ORDER BY 1, 2, 3;
    INSERT OR IGNORE INTO archive_sent (owner, id) $sent AND $new ORDER BY 1, 2;
    INSERT OR IGNORE INTO archive_received (owner, id) $received AND $new ORDER BY 1, 2;
    UPDATE archive_conversation_mark SET last_id = (SELECT coalesce(max(id), 0) FROM archive); $unstage COMMIT;"
fi
echo "  conversation and owner tables built ($(( $(date +%s) - t0 )) s)" >&2
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" >/dev/null
echo "filled $MESSAGES messages in $(( $(date +%s) - t0 )) s; database $(du -h "$DB" | cut -f1)" >&2
