-- Match weights learned from the stored records (the weights command): each estimate kept as a version, which
-- hub.match.weights can put in force. Plain SQL for H2 2.x and PostgreSQL 15.
CREATE TABLE match_weights (
    version      INTEGER PRIMARY KEY,
    estimated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    pairs        BIGINT NOT NULL,
    match_share  DOUBLE PRECISION NOT NULL,
    levels       VARCHAR NOT NULL,
    name_shares  VARCHAR NOT NULL
);
COMMENT ON TABLE match_weights IS 'Match weights estimated without labels (expectation-maximization over blocked pairs, u from random pairs), one row per estimate; hub.match.weights = learned matches with the newest, a number with that version.';
COMMENT ON COLUMN match_weights.version IS 'Estimate number, 1 for the first.';
COMMENT ON COLUMN match_weights.estimated_at IS 'When it was estimated.';
COMMENT ON COLUMN match_weights.pairs IS 'Blocked pairs it was estimated from.';
COMMENT ON COLUMN match_weights.match_share IS 'Estimated share of those pairs that are one customer.';
COMMENT ON COLUMN match_weights.name_shares IS 'JSON: per name field (givenName, familyName), the share of the records holding each common value (normalized): the agreement on a common name weighs log2(0.9 / share) bits at most.';
COMMENT ON COLUMN match_weights.levels IS 'JSON: per canonical field, per comparison level (exact, close, different, ...), m, u, the learned weight in bits and the configured one.';
