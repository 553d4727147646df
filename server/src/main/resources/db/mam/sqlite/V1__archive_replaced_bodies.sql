-- A message whose body is replaced (a retracted message becomes a tombstone, XEP-0425) leaves the
-- full-text index: external-content FTS5 is told the old text, as the delete trigger does, or
-- forgets the row's pending note when it was never indexed; a new body is noted for indexing.
CREATE TRIGGER archive_fts_update AFTER UPDATE OF body ON archive BEGIN
    INSERT INTO archive_fts (archive_fts, rowid, body)
        SELECT 'delete', old.id, old.body
        WHERE old.body IS NOT NULL AND NOT EXISTS (SELECT 1 FROM archive_fts_pending WHERE id = old.id);
    DELETE FROM archive_fts_pending WHERE id = old.id;
    INSERT INTO archive_fts_pending (id) SELECT new.id WHERE new.body IS NOT NULL;
END;
