-- The expiry sweep looks files up by the time of their upload.
CREATE INDEX upload_files_uploaded ON upload_files (uploaded_at);
