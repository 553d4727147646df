-- XEP-0377: reports attached to block requests, kept for the operator (`parley reports`).
CREATE TABLE abuse_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    jid         TEXT    NOT NULL,
    reason      TEXT,
    text        TEXT,
    stanza_ids  TEXT,
    reported_at INTEGER NOT NULL
);
CREATE INDEX abuse_reports_reporter ON abuse_reports (reporter);
CREATE INDEX abuse_reports_jid ON abuse_reports (jid);
