-- One row per scheduled run of a job: with several instances on one store, the instance that inserts it runs it.
CREATE TABLE job_run (
    job        VARCHAR(100) NOT NULL,
    slot       VARCHAR(40)  NOT NULL,
    owner      VARCHAR(100) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job, slot)
);
