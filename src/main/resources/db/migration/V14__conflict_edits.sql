-- A conflict row names the edit it records: the same value of the same record read again later is
-- another edit, and another conflict. A conflict the hold rule left open is settled by a data steward.
-- Plain SQL for H2 2.x and PostgreSQL 15.

ALTER TABLE sync_conflict ADD COLUMN other_at TIMESTAMP WITH TIME ZONE;
COMMENT ON COLUMN sync_conflict.other_at IS 'When the hub read the other value as an edit (its record''s first read when it never changed): with the record, which edit this is; null in rows written before it was kept.';
ALTER TABLE sync_conflict ADD COLUMN settled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE sync_conflict ADD COLUMN settled_to VARCHAR(8);
COMMENT ON COLUMN sync_conflict.settled_at IS 'When a data steward settled a HELD conflict (the settle command); null while it waits.';
COMMENT ON COLUMN sync_conflict.settled_to IS 'OWNER (the golden record keeps the owner''s value) or OTHER (it takes the other record''s), as the steward decided.';
