-- Soft deletes: sources that mark a customer deleted (a deleted column, is_deleted = 1, status = 'D')
-- instead of removing the row. The cross-reference keeps the record's last values, so history, explain
-- and unmerge still work; it just stops contributing to its golden record. Plain SQL for H2 2.x and
-- PostgreSQL 15.

ALTER TABLE customer_source ADD COLUMN status VARCHAR(16) DEFAULT 'ACTIVE' NOT NULL;
COMMENT ON COLUMN customer_source.status IS 'ACTIVE, or DELETED when the source marked the record deleted (mapping entry deleted): it keeps its last values but no longer contributes to its golden record, nor is it a match candidate; a later delivery not marked deleted makes it ACTIVE again.';
COMMENT ON COLUMN customer.status IS 'ACTIVE; MERGED when the golden record turned out to be the same customer as merged_into; DELETED when every one of its source records is DELETED (it keeps its last values, and becomes ACTIVE again when one of them comes back).';
COMMENT ON COLUMN customer_history.change_type IS 'MERGE (a source record joined the golden record), UPDATE (its values or status changed; status appears in before_values/after_values when it did), GOLDEN_MERGE (another golden record was merged into it, or it into another: see other_customer_id), UNMERGE (source records were split off into other_customer_id), DELETE (a source record was marked deleted by its source) or RESTORE (a deleted source record was delivered again, not deleted).';
