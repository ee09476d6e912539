-- The store purge deletes the connector's own-write marks once they have expired (an echo that never came);
-- by their expiry, not by a scan of the whole table.
CREATE INDEX own_write_expires ON own_write (expires_at);
