-- Re-export: an operator sends every golden record to a target again (the hub MBean's reexport), whatever the hub
-- believes the target holds. Plain SQL for H2 2.x and PostgreSQL 15.
ALTER TABLE sync_outbox ADD COLUMN forced BOOLEAN DEFAULT FALSE NOT NULL;
COMMENT ON COLUMN sync_outbox.forced IS 'True for a row of a re-export: delivered to every record of the customer in the target even where the target is known to hold the values already.';
