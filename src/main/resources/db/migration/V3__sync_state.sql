-- What was last applied to Connectif for each GHL contact, to skip stale and unchanged updates and to diff.
CREATE TABLE sync_state (
    contact_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    location_id   VARCHAR(64)   NOT NULL,
    email         VARCHAR(320),
    date_updated  VARCHAR(40),
    content_hash  VARCHAR(64),
    tags          TEXT,
    tasks         TEXT,
    deleted       BOOLEAN       NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per task completion sent as ghl-task-completed: the event goes out once, whatever is repeated or replayed.
-- status: sending | sent
CREATE TABLE task_completion (
    task_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    contact_id   VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What setup created in Connectif (the custom integration's id), so that it is not created twice.
CREATE TABLE connectif_setup (
    setup_key   VARCHAR(100) NOT NULL PRIMARY KEY,
    setup_value VARCHAR(400) NOT NULL
);
