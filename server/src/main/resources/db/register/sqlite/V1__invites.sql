-- Invitations (XEP-0401 / XEP-0445 / XEP-0379): a token lets one account be registered in-band
-- while registration is by invitation; made by `parley invite create`, used up by the registration.
CREATE TABLE invites (
    token      TEXT PRIMARY KEY,
    inviter    TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
