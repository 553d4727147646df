-- The conversation table takes its entries in chunks of a larger sorted stage. A slice of 20,000
-- rows put straight into the table touched most of its leaves (the pairs of a busy server are
-- spread over all of them), so each slice wrote nearly the whole table to the WAL and again at
-- the checkpoint. The writer now sorts several slices' entries into this stage (an append, cheap)
-- and moves them one key range at a time, a slice's worth per transaction: each moves into its
-- own part of the table, so the leaves written per row shrink by the stage's factor
-- (BENCHMARKS.md, "The conversation table in stages"), while no single transaction holds the rows
-- queued behind it for longer than a slice did.
-- archive_conversation_mark.last_id moves only once the whole stage is in the table: until then
-- queries read the staged rows, as any row above the mark, through the owner's side index, and
-- read the table only up to the mark, so an entry already moved is not seen twice.
CREATE TABLE archive_conversation_staged (
    seq  INTEGER PRIMARY KEY, -- the entries' order: they are inserted sorted
    low  TEXT NOT NULL,
    high TEXT NOT NULL,
    id   INTEGER NOT NULL
);

-- The highest archive id in the stage; NULL when nothing is staged.
ALTER TABLE archive_conversation_mark ADD COLUMN staged_to INTEGER;
