-- Messages from strangers held for their recipient (strangers.policy: hold), until the recipient
-- delivers or discards them, or strangers.holdFor passes.
-- AUTOINCREMENT: ids are never reused, so they increase in arrival order even after deletes.
CREATE TABLE held_messages (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    owner    TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    sender   TEXT    NOT NULL,
    stanza   TEXT    NOT NULL,
    held_at  INTEGER NOT NULL
);
CREATE INDEX held_messages_owner ON held_messages (owner, sender);
CREATE INDEX held_messages_held_at ON held_messages (held_at);
