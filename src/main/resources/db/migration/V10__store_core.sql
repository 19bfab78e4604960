-- The store core rebuilt for bulk loads and several writers. Plain SQL for H2 2.x and PostgreSQL 15.
--
-- Blocking keys move to memory (an index the hub derives from customer_source at start and keeps
-- up to date from customer_source.seq), so match_key and its random-order index entries go: they
-- were most of the write cost of a record. A delivery's idempotency key already lives in the row it
-- produced (customer_source.message_id, quarantine.message_id), so processed_message goes too.

DROP TABLE match_key;
DROP TABLE processed_message;

ALTER TABLE customer_source ADD COLUMN id BIGINT;
ALTER TABLE customer_source ADD COLUMN seq BIGINT;
COMMENT ON COLUMN customer_source.id IS 'Number of the source record, stable once given (in the order records were first stored): what the in-memory blocking index holds.';
COMMENT ON COLUMN customer_source.seq IS 'Store sequence number of the last change of the row''s values (store_lock.seq when it was written): a hub catches its blocking index up with the rows above the number it has seen, so several hubs on one store see each other''s records.';
COMMENT ON COLUMN customer_source.message_id IS 'Idempotency key of the delivery stored last: the first 16 bytes of the SHA-256 over the source and every mapped value of the delivery, as a UUID. The same delivery again is skipped as a duplicate.';

CREATE INDEX ix_quarantine_message ON quarantine (source, message_id);
COMMENT ON COLUMN quarantine.message_id IS 'Idempotency key of the delivery (see customer_source.message_id): the same rejected delivery again is skipped as a duplicate.';

-- One row, locked (SELECT ... FOR UPDATE) by every transaction that matches records or changes golden
-- records, in this process or another on the same store: matching must see every record committed
-- before it, or two writers storing the same person at once would each create a golden record.
CREATE TABLE store_lock (
    name VARCHAR(32) NOT NULL PRIMARY KEY,
    seq  BIGINT      NOT NULL
);
COMMENT ON TABLE store_lock IS 'The store''s write lock and sequence: the row named store is locked by every transaction that matches or changes golden records; seq is the last number given to customer_source.id and customer_source.seq.';
COMMENT ON COLUMN store_lock.name IS 'store.';
COMMENT ON COLUMN store_lock.seq IS 'Last store sequence number given out.';

-- Outbox rows are claimed by the hub that reads them for delivery (see SyncOutbox): not due for another
-- hub until delivered, failed, released or the claim runs out; a hub restarted after a crash releases
-- the claims it held at once.
ALTER TABLE sync_outbox ADD COLUMN claimed_by VARCHAR(200);
COMMENT ON COLUMN sync_outbox.claimed_by IS 'The hub (hub.instance-id) that read the row for delivery last; its next_attempt_at is then the end of the claim.';

-- A target's due rows are read in id order per status: an index that yields them so, instead of one by
-- due time that made every read sort the target's whole backlog.
DROP INDEX ix_sync_outbox_due;
CREATE INDEX ix_sync_outbox_due ON sync_outbox (target, status, id);
