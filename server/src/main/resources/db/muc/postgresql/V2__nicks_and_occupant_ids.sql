-- XEP-0045 §7.10 reserved nicknames, kept with the affiliation that holds them, and the salt of
-- each persistent room's XEP-0421 occupant ids (so ids stay the same across restarts).
ALTER TABLE muc_affiliations ADD COLUMN nick VARCHAR(1023);
ALTER TABLE muc_rooms ADD COLUMN occupant_salt VARCHAR(64);
