-- Persistent group chat rooms (XEP-0045): configuration, subject and affiliations.
CREATE TABLE muc_rooms (
    room       VARCHAR(3071) PRIMARY KEY,
    config     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    subject_by VARCHAR(3071)
);

CREATE TABLE muc_affiliations (
    room        VARCHAR(3071) NOT NULL REFERENCES muc_rooms (room) ON DELETE CASCADE,
    jid         VARCHAR(3071) NOT NULL,
    affiliation VARCHAR(16) NOT NULL,
    PRIMARY KEY (room, jid)
);
