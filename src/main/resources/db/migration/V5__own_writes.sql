-- Writes the connector made to GHL for Connectif, so that their webhooks are not echoed back as events.
CREATE TABLE own_write (
    marker     VARCHAR(400) NOT NULL PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
