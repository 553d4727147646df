-- New rows are noted for the full-text index by the writer's own INSERT, not by a trigger. A
-- trigger makes every INSERT a statement that writes two tables, and SQLite then keeps a
-- statement journal for it: inside the writer's group commit each row's INSERT copied every page
-- it touched (the row's, four index leaves', the note's) into a temporary file first, about ten
-- pwrite calls and 25 KB per archived message, more than the commit itself wrote.
DROP TRIGGER archive_fts_note;
