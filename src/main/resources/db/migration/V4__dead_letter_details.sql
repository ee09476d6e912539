-- What failed, for the admin API: the route, and the HTTP status and answer of the failing call.
ALTER TABLE dead_letter ADD COLUMN route VARCHAR(200);
ALTER TABLE dead_letter ADD COLUMN http_status INTEGER;
ALTER TABLE dead_letter ADD COLUMN response_body VARCHAR(4000);
CREATE INDEX dead_letter_failed ON dead_letter (failed_at);
