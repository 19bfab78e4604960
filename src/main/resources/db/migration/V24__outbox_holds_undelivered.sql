-- The outbox holds what is still to be delivered: a row is deleted once delivered, skipped by echo
-- suppression or replaced by a newer change of its customer, so the rows kept before go.
-- What each target was last sent stays in sync_state. Plain SQL for H2 2.x and PostgreSQL 15.
DELETE FROM sync_outbox WHERE status IN ('SENT', 'SUPERSEDED') OR (status = 'SKIPPED' AND last_error IS NULL);

COMMENT ON TABLE sync_outbox IS 'One row per change of a golden record and target system still to be delivered, written in the transaction of the change and deleted once delivered, skipped (the target already holds the values) or replaced by a newer change of the customer. The <target>-sync route delivers each customer''s newest row.';
COMMENT ON COLUMN sync_outbox.status IS 'PENDING (not yet delivered), FAILED (retried at next_attempt_at), DEAD (after hub.sync.max-attempts, or refused for good; sync-retry puts it back) or SKIPPED (not delivered because the target takes no new customers: last_error says so).';
COMMENT ON COLUMN sync_outbox.sent_at IS 'When a SKIPPED row was skipped.';
COMMENT ON COLUMN sync_state.outbox_id IS 'The sync_outbox row written last (deleted once delivered).';
