-- The Connectif contact each GHL contact is linked to: sync_state.email becomes the email Connectif holds for it (as
-- last written by the connector) and external_id its Connectif external id. conflict_email / conflict_with: the GHL
-- email that could not be written because another contact holds it, and who holds it (reported once).
-- sent_fields: the mapped fields last written with a value, the only ones cleared when their GHL value goes away.
ALTER TABLE sync_state ADD COLUMN external_id VARCHAR(64);
ALTER TABLE sync_state ADD COLUMN conflict_email VARCHAR(320);
ALTER TABLE sync_state ADD COLUMN conflict_with VARCHAR(200);
ALTER TABLE sync_state ADD COLUMN sent_fields TEXT;
CREATE INDEX sync_state_email ON sync_state (email);
CREATE INDEX sync_state_external_id ON sync_state (external_id);

-- When the event was first accepted; a replayed dead letter keeps it (received_at is when it entered the inbox).
ALTER TABLE inbox ADD COLUMN accepted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE dead_letter ADD COLUMN accepted_at TIMESTAMP WITH TIME ZONE;

-- One row per completion episode of a task sent as ghl-task-completed (complete, reopen, complete: two rows).
-- completion_key: the idempotency key of the TaskComplete webhook, or list:<n> for a completion seen in a task list.
-- status: sending | sent
CREATE TABLE task_completion_episode (
    task_id        VARCHAR(64)  NOT NULL,
    completion_key VARCHAR(200) NOT NULL,
    contact_id     VARCHAR(64)  NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (task_id, completion_key)
);
INSERT INTO task_completion_episode (task_id, completion_key, contact_id, status, updated_at)
    SELECT task_id, 'list:1', contact_id, status, updated_at FROM task_completion;
DROP TABLE task_completion;
