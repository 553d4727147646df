-- Messages a cluster node stored offline for a user it could not see (Redis unreachable, or the
-- user's node counted absent): the user may be online on another node. Every node looks for such
-- rows of its own available users (the partial index keeps that one cheap look when there are
-- none) and delivers them; a mark is cleared when its user is found offline everywhere.
ALTER TABLE offline ADD COLUMN unseen SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX offline_unseen ON offline (owner) WHERE unseen = 1;
