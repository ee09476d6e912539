-- How far reconciliation got, per location: the dateUpdated of the last contact enqueued and the search cursor.
CREATE TABLE reconcile_watermark (
    location_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    date_updated VARCHAR(40)  NOT NULL,
    search_after VARCHAR(400),
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
