-- XEP-0363: a slot handed out, and once its PUT completed, the file it holds.
CREATE TABLE upload_files (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT,
    created_at   INTEGER NOT NULL,
    uploaded_at  INTEGER
);
CREATE INDEX upload_files_owner ON upload_files (owner);
CREATE INDEX upload_files_created ON upload_files (created_at);
