-- Messages from strangers held for their recipient (strangers.policy: hold), until the recipient
-- delivers or discards them, or strangers.holdFor passes.
CREATE TABLE held_messages (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner    TEXT   NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    sender   TEXT   NOT NULL,
    stanza   TEXT   NOT NULL,
    held_at  BIGINT NOT NULL
);
CREATE INDEX held_messages_owner ON held_messages (owner, sender);
CREATE INDEX held_messages_held_at ON held_messages (held_at);
