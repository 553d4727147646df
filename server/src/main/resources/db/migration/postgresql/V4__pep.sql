-- XEP-0163 PEP: nodes owned by accounts, their items and affiliations; XEP-0115 verified caps.
-- config is the node configuration as 'field=value' lines. seq orders items by publication; it
-- is assigned per node while the owner's account row is locked.

CREATE TABLE pubsub_nodes (
    owner  TEXT NOT NULL REFERENCES accounts (username) ON DELETE CASCADE,
    node   TEXT NOT NULL,
    config TEXT NOT NULL,
    PRIMARY KEY (owner, node)
);

CREATE TABLE pubsub_items (
    owner   TEXT   NOT NULL,
    node    TEXT   NOT NULL,
    item_id TEXT   NOT NULL,
    payload TEXT   NOT NULL,
    seq     BIGINT NOT NULL,
    PRIMARY KEY (owner, node, item_id),
    FOREIGN KEY (owner, node) REFERENCES pubsub_nodes (owner, node) ON DELETE CASCADE
);
CREATE INDEX pubsub_items_by_seq ON pubsub_items (owner, node, seq);

CREATE TABLE pubsub_affiliations (
    owner       TEXT NOT NULL,
    node        TEXT NOT NULL,
    jid         TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    PRIMARY KEY (owner, node, jid),
    FOREIGN KEY (owner, node) REFERENCES pubsub_nodes (owner, node) ON DELETE CASCADE
);

-- features: the verified disco#info feature vars, one per line.
CREATE TABLE caps (
    hash     TEXT NOT NULL,
    ver      TEXT NOT NULL,
    features TEXT NOT NULL,
    PRIMARY KEY (hash, ver)
);
