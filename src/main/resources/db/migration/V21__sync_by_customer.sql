-- The outbox and the sync state are looked up by golden record first. A merge moves every row of the
-- merged golden record to the survivor, whatever the target: with the target leading these indexes,
-- that was a scan of both tables per merge (a load with many merges grew quadratic). With the golden
-- id leading, it is one index seek; the look-ups by target and golden record walk the same index.
-- Plain SQL for H2 2.x and PostgreSQL 15.
DROP INDEX ix_sync_outbox_customer;
CREATE INDEX ix_sync_outbox_customer ON sync_outbox (customer_id, target, id);
DROP INDEX ix_sync_state_customer;
CREATE INDEX ix_sync_state_customer ON sync_state (customer_id, target);
