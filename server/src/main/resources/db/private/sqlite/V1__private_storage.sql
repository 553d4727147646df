-- XEP-0049 private XML storage: one fragment per (owner, namespace, element name).
CREATE TABLE private_storage (
    owner     TEXT    NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    namespace TEXT    NOT NULL,
    element   TEXT    NOT NULL,
    payload   TEXT    NOT NULL,
    bytes     INTEGER NOT NULL,
    PRIMARY KEY (owner, namespace, element)
);
