-- Roster versioning (XEP-0237 / RFC 6121 §2.6), blocking (XEP-0191) and last activity (XEP-0012).

-- Each change of a user's roster takes the next value of the user's counter; an item keeps the
-- version of its last change, a removal leaves a row in roster_removals with its version, so the
-- changes since any version at or above 'floor' are the items and removals with a higher version.
-- Removals are trimmed to a configured number per user; trimming raises 'floor'.
ALTER TABLE roster_items ADD COLUMN ver BIGINT NOT NULL DEFAULT 0;

CREATE TABLE roster_versions (
    owner TEXT   NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    ver   BIGINT NOT NULL,
    floor BIGINT NOT NULL
);

CREATE TABLE roster_removals (
    owner TEXT   NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    jid   TEXT   NOT NULL,
    ver   BIGINT NOT NULL,
    PRIMARY KEY (owner, jid)
);
CREATE INDEX roster_removals_by_ver ON roster_removals (owner, ver);

CREATE TABLE blocklist (
    owner TEXT NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    jid   TEXT NOT NULL,
    PRIMARY KEY (owner, jid)
);

CREATE TABLE last_activity (
    owner  TEXT   NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    at     BIGINT NOT NULL,
    status TEXT
);
