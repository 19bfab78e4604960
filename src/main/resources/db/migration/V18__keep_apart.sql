-- Remembered decisions: golden records a data steward split (unmerge) or kept apart (a rejected match review) are not
-- merged again by a later record that links both. Plain SQL for H2 2.x and PostgreSQL 15.
CREATE TABLE keep_apart (
    customer_id       VARCHAR(36) NOT NULL,
    other_customer_id VARCHAR(36) NOT NULL,
    decision          VARCHAR(64) NOT NULL,
    decided_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_keep_apart_customer ON keep_apart (customer_id);
CREATE INDEX ix_keep_apart_other ON keep_apart (other_customer_id);
COMMENT ON TABLE keep_apart IS 'Pairs of golden records a data steward decided are different customers: the matcher never merges them (a record linking both joins one of them only). A merge moves the pairs to its survivor; a steward''s own merge of the two removes theirs.';
COMMENT ON COLUMN keep_apart.customer_id IS 'One golden record (customer.id).';
COMMENT ON COLUMN keep_apart.other_customer_id IS 'The other golden record (customer.id).';
COMMENT ON COLUMN keep_apart.decision IS 'What decided it: UNMERGE source/key, or REVIEW_REJECTED review id.';
COMMENT ON COLUMN keep_apart.decided_at IS 'When.';
