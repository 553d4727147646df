-- Persistent group chat rooms (XEP-0045): configuration, subject and affiliations.
CREATE TABLE muc_rooms (
    room       TEXT PRIMARY KEY,
    config     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    subject_by TEXT
);

CREATE TABLE muc_affiliations (
    room        TEXT NOT NULL REFERENCES muc_rooms (room) ON DELETE CASCADE,
    jid         TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    PRIMARY KEY (room, jid)
);
