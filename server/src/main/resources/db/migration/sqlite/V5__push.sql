-- XEP-0357 push registrations: an account's app servers (jid) and nodes on them, with the
-- publish-options form the client gave. They go with the account.
CREATE TABLE push_registrations (
    owner   TEXT   NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    jid     TEXT   NOT NULL,
    node    TEXT   NOT NULL,
    form    TEXT,
    created BIGINT NOT NULL,
    PRIMARY KEY (owner, jid, node)
);
