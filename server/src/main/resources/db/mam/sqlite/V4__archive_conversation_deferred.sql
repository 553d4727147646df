-- The conversation index becomes a table the archive writer fills in large sorted batches, as it
-- does the full-text index, instead of an index SQLite maintains row by row. Each message's entry
-- went to a random leaf (a conversation's entries are scattered among everyone's), so every group
-- commit dirtied about one index page per message, written to the WAL and again by the checkpoint:
-- half of the writer's CPU per message (BENCHMARKS.md, "The conversation index, deferred"). A
-- batch of tens of thousands of entries, sorted, dirties each leaf once.
-- Rows above archive_conversation_mark.last_id are not in it yet; a query of one conversation
-- reads them through the owner's side index (sender, id, to_jid) / (recipient, id, from_jid),
-- which for ids that recent is a short range, and the rest through this table.
DROP INDEX archive_conversation;

CREATE TABLE archive_conversation (
    low  TEXT NOT NULL,    -- min(from_jid, to_jid): both directions of a conversation share it
    high TEXT NOT NULL,    -- max(from_jid, to_jid)
    id   INTEGER NOT NULL, -- the archive row
    PRIMARY KEY (low, high, id)
) WITHOUT ROWID;

CREATE TABLE archive_conversation_mark (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    last_id INTEGER NOT NULL -- every row with an id up to this one is in archive_conversation
);

INSERT INTO archive_conversation (low, high, id)
    SELECT min(from_jid, to_jid), max(from_jid, to_jid), id FROM archive ORDER BY 1, 2, 3;
INSERT INTO archive_conversation_mark (one, last_id) SELECT 1, coalesce(max(id), 0) FROM archive;

-- A deleted row (retention, a removed account) leaves the table too.
CREATE TRIGGER archive_conversation_delete AFTER DELETE ON archive BEGIN
    DELETE FROM archive_conversation
        WHERE low = min(old.from_jid, old.to_jid) AND high = max(old.from_jid, old.to_jid) AND id = old.id;
END;
