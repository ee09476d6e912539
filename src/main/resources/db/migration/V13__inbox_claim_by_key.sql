-- Claims walk the primary key and keep the contacts in flight in memory: the status index served the old claim query
-- (which read the whole backlog) and only costs a write per insert and claim now. A walk that resumes past the head
-- looks up a contact's first row by (contact_key, id).
DROP INDEX inbox_status;
DROP INDEX inbox_contact;
CREATE INDEX inbox_contact_id ON inbox (contact_key, id);
