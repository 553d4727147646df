-- The owners' side indexes become tables the archive writer fills in sorted batches, as it does
-- the conversation table (V4, V5). archive_by_sender (sender, id, to_jid) and archive_by_recipient
-- (recipient, id, from_jid) took an entry per message at the tail of its owner's range, so each
-- group commit rewrote the last leaf of nearly every active owner, twice: with 1,000 users
-- chatting that was three quarters of the bytes the writer wrote and half its CPU per message
-- (BENCHMARKS.md, "The owners' indexes, deferred").
-- Rows above archive_conversation_mark.last_id are in neither table yet: the server finds an
-- owner's recent rows through a list it keeps in memory (SqlArchiveStore, RecentRows), built again
-- from those rows at start, and reads the older ones through these tables.
CREATE TABLE archive_sent (
    owner TEXT NOT NULL,    -- archive.sender
    id    INTEGER NOT NULL, -- the archive row
    PRIMARY KEY (owner, id)
) WITHOUT ROWID;

CREATE TABLE archive_received (
    owner TEXT NOT NULL,    -- archive.recipient
    id    INTEGER NOT NULL,
    PRIMARY KEY (owner, id)
) WITHOUT ROWID;

-- Entries of both tables waiting to be moved in, sorted (side 0: sent, 1: received), moved a key
-- range at a time beside the conversation stage; the mark moves when both stages are empty.
CREATE TABLE archive_owner_staged (
    seq   INTEGER PRIMARY KEY,
    side  INTEGER NOT NULL,
    owner TEXT NOT NULL,
    id    INTEGER NOT NULL
);

-- Everything the conversation table holds or is about to hold (a stage being moved ends with the
-- mark at staged_to), so the mark keeps its meaning for both.
INSERT INTO archive_sent (owner, id)
    SELECT sender, id FROM archive
    WHERE sender IS NOT NULL AND id <= (SELECT coalesce(staged_to, last_id) FROM archive_conversation_mark)
    ORDER BY 1, 2;
INSERT INTO archive_received (owner, id)
    SELECT recipient, id FROM archive
    WHERE recipient IS NOT NULL AND id <= (SELECT coalesce(staged_to, last_id) FROM archive_conversation_mark)
    ORDER BY 1, 2;

DROP INDEX archive_by_sender;
DROP INDEX archive_by_recipient;

-- A deleted row leaves both tables; a side given up (an account removed) leaves its table.
CREATE TRIGGER archive_owner_delete AFTER DELETE ON archive BEGIN
    DELETE FROM archive_sent WHERE owner = old.sender AND id = old.id;
    DELETE FROM archive_received WHERE owner = old.recipient AND id = old.id;
END;
CREATE TRIGGER archive_sender_update AFTER UPDATE OF sender ON archive WHEN old.sender IS NOT new.sender BEGIN
    DELETE FROM archive_sent WHERE owner = old.sender AND id = old.id;
    INSERT OR IGNORE INTO archive_sent (owner, id) SELECT new.sender, new.id
        WHERE new.sender IS NOT NULL AND new.id <= (SELECT last_id FROM archive_conversation_mark);
END;
CREATE TRIGGER archive_recipient_update AFTER UPDATE OF recipient ON archive WHEN old.recipient IS NOT new.recipient BEGIN
    DELETE FROM archive_received WHERE owner = old.recipient AND id = old.id;
    INSERT OR IGNORE INTO archive_received (owner, id) SELECT new.recipient, new.id
        WHERE new.recipient IS NOT NULL AND new.id <= (SELECT last_id FROM archive_conversation_mark);
END;

-- A removed account's rows are found through the tables and among the rows above the mark (a
-- range of recent ids), no longer through an index on the owner columns.
DROP TRIGGER archive_account_deleted;
CREATE TRIGGER archive_account_deleted AFTER DELETE ON accounts BEGIN
    DELETE FROM archive WHERE id IN (
            SELECT id FROM archive_sent WHERE owner = old.username
            UNION ALL SELECT id FROM archive_received WHERE owner = old.username
            UNION ALL SELECT id FROM archive WHERE id > (SELECT last_id FROM archive_conversation_mark))
        AND ((sender = old.username AND (recipient IS NULL OR recipient = old.username))
             OR (recipient = old.username AND sender IS NULL));
    UPDATE archive SET sender = NULL WHERE id IN (
            SELECT id FROM archive_sent WHERE owner = old.username
            UNION ALL SELECT id FROM archive WHERE id > (SELECT last_id FROM archive_conversation_mark))
        AND sender = old.username;
    UPDATE archive SET recipient = NULL WHERE id IN (
            SELECT id FROM archive_received WHERE owner = old.username
            UNION ALL SELECT id FROM archive WHERE id > (SELECT last_id FROM archive_conversation_mark))
        AND recipient = old.username;
END;
