-- XEP-0363: a slot handed out, and once its PUT completed, the file it holds.
CREATE TABLE upload_files (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT,
    created_at   BIGINT NOT NULL,
    uploaded_at  BIGINT
);
CREATE INDEX upload_files_owner ON upload_files (owner);
CREATE INDEX upload_files_created ON upload_files (created_at);
