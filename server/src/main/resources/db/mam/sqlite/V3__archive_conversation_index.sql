-- One index per conversation instead of one per side. archive_with_sender (sender, to_jid, id) and
-- archive_with_recipient (recipient, from_jid, id) each took an entry per message, at a random
-- leaf (a conversation's rows are scattered among everyone's), so every archived message dirtied
-- two random index pages; they were the largest part of the archive writer's work (BENCHMARKS.md).
-- A conversation is the pair of bare JIDs, ordered, so both directions share one entry; sender
-- and recipient ride along, so a query of one owner's side of it reads index entries only:
-- sender = owner (which means from_jid is the owner's JID) within the pair (owner, contact)
-- means to_jid is the contact, and likewise for the recipient's side.
CREATE INDEX archive_conversation ON archive (min(from_jid, to_jid), max(from_jid, to_jid), id, sender, recipient);
DROP INDEX archive_with_sender;
DROP INDEX archive_with_recipient;
