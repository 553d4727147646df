-- Files of removed accounts whose bytes are still to be deleted: the account went while no file
-- store was open (`parley user remove` beside a stopped server) or the store failed. The server's
-- sweep deletes them and their rows.
CREATE TABLE upload_orphans (
    id TEXT PRIMARY KEY
);
