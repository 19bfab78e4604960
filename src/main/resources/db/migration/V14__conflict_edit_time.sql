-- A conflict row names the edit it records: the same value of the same record read again later is
-- another edit, and another conflict. Plain SQL for H2 2.x and PostgreSQL 15.

ALTER TABLE sync_conflict ADD COLUMN other_at TIMESTAMP WITH TIME ZONE;
COMMENT ON COLUMN sync_conflict.other_at IS 'When the hub read the other value as an edit (its record''s first read when it never changed): with the record, which edit this is; null in rows written before it was kept.';
