-- Convergence of sync: survivorship orders edits by the hub's own arrival order, per field group, and
-- tells a source's edits from the echoes of the hub's own writes. Plain SQL for H2 2.x and PostgreSQL 15.

ALTER TABLE customer_source ADD COLUMN edits VARCHAR(2000);
COMMENT ON COLUMN customer_source.edits IS 'JSON object by field group (name, phone, ...) of the changes since first_seen_at: {"at": when the hub read the edit, "base": fingerprint of the group''s values before it}; an entry without base is the echo of the hub''s own write, dated when the hub decided the value it wrote. Null when no group changed.';

ALTER TABLE sync_outbox ADD COLUMN lineage VARCHAR;
COMMENT ON COLUMN sync_outbox.lineage IS 'The golden record''s lineage at the change (customer.lineage): per field group, when its value was read as an edit. The echo of a write is dated by it, so echoes rank as the edits they repeat and never as new ones.';

ALTER TABLE sync_state ADD COLUMN written_values VARCHAR;
COMMENT ON COLUMN sync_state.written_values IS 'JSON: {"held": the canonical fields the target holds, "writes": the last few writes, newest first, each {"at": when the golden record took the values, "times": per field group when its value was read as an edit, "values": the golden values written}}. A record read back holding what one of them wrote, over the fields the target holds, is an echo, not an edit.';

COMMENT ON TABLE sync_conflict IS 'One row per disagreement found when a golden record was recomputed: a source''s value for a field group it does not own against the owner''s, or (no owner) a source''s edit made without knowing the golden record''s value, or two sources'' edits of one group since the last recompute.';
COMMENT ON COLUMN sync_conflict.owner_source IS 'The source that owns the group (hub.merge.owner.<group>); without an owner, the source that supplied the golden record''s value (hub when none did).';
COMMENT ON COLUMN sync_conflict.rule IS 'The conflict rule (hub.merge.conflict.<group>): owner-wins, newest-wins or hold; without an owner, the group''s survivorship rule (most-recent, ...).';
COMMENT ON COLUMN sync_conflict.outcome IS 'OWNER_KEPT, NEWEST_TAKEN (the other value was newer and won), OWNER_NEWER (newest wins and the owner''s was newer) or HELD (the golden record kept its value); without an owner, TAKEN (the edit''s value is now the golden one) or KEPT.';
