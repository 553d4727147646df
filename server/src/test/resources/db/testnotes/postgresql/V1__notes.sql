-- A feature's first migration, for FeatureStorageContractTest: a table that holds an account's
-- rows without a foreign key, so only an account-removal hook removes them.
CREATE TABLE test_notes (
    owner TEXT NOT NULL,
    note  TEXT NOT NULL
);
