-- Members who asked a room for push notifications (XEP-0357) of its messages while they are not
-- in it: all of them, or those that mention their nickname. No foreign key to muc_rooms: a
-- temporary room's members may ask too; the rows go when the room does.
CREATE TABLE muc_push (
    room   TEXT NOT NULL,
    jid    TEXT NOT NULL,
    notify TEXT NOT NULL,
    nick   TEXT NOT NULL,
    PRIMARY KEY (room, jid)
);
