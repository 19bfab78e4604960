-- A change of a golden record is written once, not once per target: its values and lineage move from
-- sync_outbox (a row per target, rewritten at each status change with them) to sync_change, which each
-- target's outbox row names. Existing rows keep their values, each as a change of its own.
-- Plain SQL for H2 2.x and PostgreSQL 15.
CREATE TABLE sync_change (
    id              VARCHAR(36) NOT NULL PRIMARY KEY,
    customer_id     VARCHAR(36) NOT NULL,
    customer_status VARCHAR(16) NOT NULL,
    payload         VARCHAR     NOT NULL,
    lineage         VARCHAR,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO sync_change (id, customer_id, customer_status, payload, lineage, created_at)
    SELECT CAST(id AS VARCHAR(36)), customer_id, customer_status, payload, lineage, created_at FROM sync_outbox;
ALTER TABLE sync_outbox ADD COLUMN change_id VARCHAR(36);
UPDATE sync_outbox SET change_id = CAST(id AS VARCHAR(36));
ALTER TABLE sync_outbox ALTER COLUMN change_id SET NOT NULL;
ALTER TABLE sync_outbox DROP COLUMN customer_status;
ALTER TABLE sync_outbox DROP COLUMN payload;
ALTER TABLE sync_outbox DROP COLUMN lineage;

COMMENT ON TABLE sync_change IS 'One row per change of a golden record that went to the outbox: its state after the change, written once for every target''s sync_outbox row.';
COMMENT ON COLUMN sync_change.id IS 'Change id: a time-ordered UUID (version 7) as text; the number of the outbox row for a change written before this table.';
COMMENT ON COLUMN sync_change.customer_id IS 'The golden record (customer.id) that changed.';
COMMENT ON COLUMN sync_change.customer_status IS 'Its status after the change: ACTIVE or DELETED.';
COMMENT ON COLUMN sync_change.payload IS 'JSON object of its values after the change, keyed by canonical field name.';
COMMENT ON COLUMN sync_change.lineage IS 'The golden record''s lineage at the change (customer.lineage): per field group, when its value was read as an edit. The echo of a write is dated by it, so echoes rank as the edits they repeat and never as new ones.';
COMMENT ON COLUMN sync_change.created_at IS 'When the golden record changed.';
COMMENT ON COLUMN sync_outbox.change_id IS 'The change delivered (sync_change.id): the golden record''s values and lineage after it.';
