-- XEP-0133 disable-user: accounts an administrator disabled; they cannot log in until re-enabled.
CREATE TABLE disabled_accounts (
    username TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (username) ON DELETE CASCADE,
    at       BIGINT  NOT NULL
);
