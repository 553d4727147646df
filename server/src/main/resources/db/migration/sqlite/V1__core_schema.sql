-- Core schema: accounts and the data that belongs to them. Everything owned by an account
-- cascades from it, so deleting the account row removes all of it in one statement.
-- Times are epoch milliseconds (the same column type as on PostgreSQL keeps one code path).

CREATE TABLE accounts (
    username TEXT    NOT NULL PRIMARY KEY,
    created  INTEGER NOT NULL
);

CREATE TABLE credentials (
    username   TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    algorithm  TEXT    NOT NULL,
    salt       BLOB    NOT NULL,
    iterations INTEGER NOT NULL,
    stored_key BLOB    NOT NULL,
    server_key BLOB    NOT NULL,
    PRIMARY KEY (username, algorithm)
);

CREATE TABLE roster_items (
    owner        TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    jid          TEXT    NOT NULL,
    name         TEXT,
    subscription TEXT    NOT NULL CHECK (subscription IN ('none', 'to', 'from', 'both')),
    ask          INTEGER NOT NULL,
    approved     INTEGER NOT NULL,
    PRIMARY KEY (owner, jid)
);

CREATE TABLE roster_groups (
    owner TEXT NOT NULL,
    jid   TEXT NOT NULL,
    grp   TEXT NOT NULL,
    PRIMARY KEY (owner, jid, grp),
    FOREIGN KEY (owner, jid) REFERENCES roster_items (owner, jid) ON DELETE CASCADE
);

-- seq gives the arrival order; it is assigned per owner under the writer lock.
CREATE TABLE pending_in (
    owner    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    from_jid TEXT    NOT NULL,
    stanza   TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (owner, from_jid)
);
CREATE INDEX pending_in_by_seq ON pending_in (owner, seq);

-- AUTOINCREMENT: ids are never reused, so they increase strictly in arrival order even after deletes.
CREATE TABLE offline (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    owner     TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    stanza    TEXT    NOT NULL,
    stored_at INTEGER NOT NULL
);
CREATE INDEX offline_by_owner ON offline (owner, id);

CREATE TABLE vcards (
    owner TEXT NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    xml   TEXT NOT NULL
);
