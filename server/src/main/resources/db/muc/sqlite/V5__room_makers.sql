-- The user whose first join made each room, so that muc.roomsPerUser counts the rooms a user made
-- from the store: after a restart, and on every node of a cluster alike (each room is stored by the
-- node that owns it). Null for rooms stored before.
ALTER TABLE muc_rooms ADD COLUMN maker TEXT;
CREATE INDEX muc_rooms_maker ON muc_rooms (maker);
