-- Keys of processed events are purged once older than ghl.webhook.max-age, oldest first.
CREATE INDEX event_key_received ON event_key (received_at);

-- OAuth install states already used at /oauth/callback: each state is good for one callback.
CREATE TABLE oauth_state (
    nonce   VARCHAR(64) NOT NULL PRIMARY KEY,
    used_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX oauth_state_used ON oauth_state (used_at);
