-- Polled sources (HTTP APIs, databases): how far each one has been read. Plain SQL for H2 2.x and
-- PostgreSQL 15.

CREATE TABLE source_watermark (
    source      VARCHAR(64)   NOT NULL PRIMARY KEY,
    watermark   VARCHAR(4000) NOT NULL,
    advanced_at TIMESTAMP WITH TIME ZONE NOT NULL
);
COMMENT ON TABLE source_watermark IS 'One row per polled source: the cursor up to which its records are committed to the store. It advances only after the batch it covers is stored; the next poll starts there (less the overlap window).';
COMMENT ON COLUMN source_watermark.watermark IS 'The cursor as the source template writes it, e.g. {"at":"2026-12-01T08:00:00Z","key":"1042"} (timestamp and key of the last committed record) or an API cursor token.';
COMMENT ON COLUMN source_watermark.advanced_at IS 'When the watermark last moved.';
