-- The row the store's health probe writes when the store failed (StoreHealth.probe): a write no other
-- transaction waits for, so that the probe tells whether the store takes writes again.
INSERT INTO store_lock (name, seq) VALUES ('probe', 0);
COMMENT ON TABLE store_lock IS 'The store''s write lock and sequence: the row named store is locked by every transaction that matches or changes golden records; seq is the last number given to customer_source.id and customer_source.seq. The row named probe is written by the health probe only.';
