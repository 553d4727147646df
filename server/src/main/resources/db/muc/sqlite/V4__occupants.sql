-- The occupants of each room, one row per joined session, kept in a cluster as they change so
-- the node that takes a room over (its owner stopped or died) has them still joined: nickname,
-- role and the session's presence payload; 'joined' keeps the order they came in.
CREATE TABLE muc_occupants (
    room     TEXT NOT NULL,
    session  TEXT NOT NULL,
    nick     TEXT NOT NULL,
    role     TEXT NOT NULL,
    presence TEXT NOT NULL,
    joined   BIGINT NOT NULL,
    PRIMARY KEY (room, session)
);
