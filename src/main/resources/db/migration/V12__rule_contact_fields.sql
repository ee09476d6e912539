-- What the rules last saw of each contact (routes/rule-*.yaml): a fingerprint per GHL field, to tell the rules which
-- fields changed in a run.
CREATE TABLE rule_contact_fields (
    location_id  VARCHAR(64)  NOT NULL,
    contact_id   VARCHAR(64)  NOT NULL,
    date_updated VARCHAR(64),
    fields       TEXT         NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (location_id, contact_id)
);
