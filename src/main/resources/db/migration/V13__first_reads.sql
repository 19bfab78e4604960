-- First loads that reconcile before creating: a target gets no writes until its source has been read
-- completely once. Plain SQL for H2 2.x and PostgreSQL 15.

CREATE TABLE source_read (
    source     VARCHAR(64) NOT NULL PRIMARY KEY,
    first_read TIMESTAMP WITH TIME ZONE NOT NULL
);
COMMENT ON TABLE source_read IS 'One row per source read completely at least once (a polled source caught up, a file source with every waiting file stored): only then does its sync target get writes, so that customers it already holds are matched, not created twice.';
COMMENT ON COLUMN source_read.first_read IS 'When its first complete read ended.';
