-- The central store. Plain SQL that runs unchanged on H2 2.x and PostgreSQL 15.
-- Table and column names are a user contract (downstream users query them): change them only
-- through a new migration, and document the change in README.md.

CREATE TABLE customer (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    full_name   VARCHAR,
    given_name  VARCHAR,
    family_name VARCHAR,
    gender      CHAR(1)      DEFAULT 'U' NOT NULL,
    birth_date  DATE,
    email       VARCHAR,
    phone       VARCHAR,
    country     VARCHAR,
    province    VARCHAR,
    city        VARCHAR,
    district    VARCHAR,
    street      VARCHAR,
    postal_code VARCHAR,
    company     VARCHAR,
    national_id VARCHAR,
    status      VARCHAR(16)  DEFAULT 'ACTIVE' NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    version     BIGINT       DEFAULT 1 NOT NULL
);
COMMENT ON TABLE customer IS 'Golden records: one row per real-world customer, with the best known values.';
COMMENT ON COLUMN customer.id IS 'Golden id, stable once assigned: a time-ordered UUID (version 7, as text) created with the golden record, so ids sort by creation.';
COMMENT ON COLUMN customer.full_name IS 'Full name as written, trimmed.';
COMMENT ON COLUMN customer.given_name IS 'Given name.';
COMMENT ON COLUMN customer.family_name IS 'Family name.';
COMMENT ON COLUMN customer.gender IS 'M, F or U (unknown).';
COMMENT ON COLUMN customer.birth_date IS 'Date of birth.';
COMMENT ON COLUMN customer.email IS 'E-mail address, lower case.';
COMMENT ON COLUMN customer.phone IS 'Phone number in E.164, e.g. +8613800138000.';
COMMENT ON COLUMN customer.country IS 'ISO 3166-1 alpha-2 country code.';
COMMENT ON COLUMN customer.province IS 'Province or state, canonical name.';
COMMENT ON COLUMN customer.city IS 'City, canonical name.';
COMMENT ON COLUMN customer.district IS 'District or county.';
COMMENT ON COLUMN customer.street IS 'Street address below the district.';
COMMENT ON COLUMN customer.postal_code IS 'Postal code.';
COMMENT ON COLUMN customer.company IS 'Company the customer belongs to, if any.';
COMMENT ON COLUMN customer.national_id IS 'National identity number, e.g. the 18-character resident identity card number.';
COMMENT ON COLUMN customer.status IS 'ACTIVE; later versions add states such as MERGED.';
COMMENT ON COLUMN customer.created_at IS 'When the hub created the golden record.';
COMMENT ON COLUMN customer.updated_at IS 'When the hub last changed the golden record.';
COMMENT ON COLUMN customer.version IS 'Starts at 1 and grows by one with every change.';

CREATE TABLE customer_source (
    source            VARCHAR(64)  NOT NULL,
    source_key        VARCHAR(255) NOT NULL,
    customer_id       VARCHAR(36)  NOT NULL REFERENCES customer (id),
    full_name         VARCHAR,
    given_name        VARCHAR,
    family_name       VARCHAR,
    gender            CHAR(1)      DEFAULT 'U' NOT NULL,
    birth_date        DATE,
    email             VARCHAR,
    phone             VARCHAR,
    phone_raw         VARCHAR,
    country           VARCHAR,
    province          VARCHAR,
    city              VARCHAR,
    district          VARCHAR,
    street            VARCHAR,
    postal_code       VARCHAR,
    company           VARCHAR,
    national_id       VARCHAR,
    source_updated_at TIMESTAMP WITH TIME ZONE,
    content_hash      UUID         NOT NULL,
    message_id        UUID         NOT NULL,
    origin            VARCHAR,
    position          BIGINT,
    first_seen_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    -- key first: H2 looks up "source = ? AND source_key IN (...)" by index only when the IN column leads
    CONSTRAINT pk_customer_source PRIMARY KEY (source_key, source)
);
CREATE INDEX ix_customer_source_customer ON customer_source (customer_id);
COMMENT ON TABLE customer_source IS 'Cross-reference: one row per record of a source system, its normalized values and the golden record it belongs to.';
COMMENT ON COLUMN customer_source.source IS 'Source system name, e.g. crm.';
COMMENT ON COLUMN customer_source.source_key IS 'The record''s key in the source system.';
COMMENT ON COLUMN customer_source.customer_id IS 'The golden record (customer.id) this source record belongs to.';
COMMENT ON COLUMN customer_source.full_name IS 'Full name as written, trimmed.';
COMMENT ON COLUMN customer_source.given_name IS 'Given name.';
COMMENT ON COLUMN customer_source.family_name IS 'Family name.';
COMMENT ON COLUMN customer_source.gender IS 'M, F or U (unknown).';
COMMENT ON COLUMN customer_source.birth_date IS 'Date of birth.';
COMMENT ON COLUMN customer_source.email IS 'E-mail address, lower case.';
COMMENT ON COLUMN customer_source.phone IS 'Phone number in E.164.';
COMMENT ON COLUMN customer_source.phone_raw IS 'Phone number as the source delivered it.';
COMMENT ON COLUMN customer_source.country IS 'ISO 3166-1 alpha-2 country code.';
COMMENT ON COLUMN customer_source.province IS 'Province or state, canonical name.';
COMMENT ON COLUMN customer_source.city IS 'City, canonical name.';
COMMENT ON COLUMN customer_source.district IS 'District or county.';
COMMENT ON COLUMN customer_source.street IS 'Street address below the district.';
COMMENT ON COLUMN customer_source.postal_code IS 'Postal code.';
COMMENT ON COLUMN customer_source.company IS 'Company the customer belongs to, if any.';
COMMENT ON COLUMN customer_source.national_id IS 'National identity number.';
COMMENT ON COLUMN customer_source.source_updated_at IS 'When the source system last changed the record, if it says; older deliveries are ignored as stale.';
COMMENT ON COLUMN customer_source.content_hash IS 'First 16 bytes of the SHA-256 over the normalized values, excluding source_updated_at and phone_raw, as a UUID: equal hash, equal content.';
COMMENT ON COLUMN customer_source.message_id IS 'Idempotency key of the delivery stored last (see processed_message.message_id).';
COMMENT ON COLUMN customer_source.origin IS 'File name or URL of the delivery stored last.';
COMMENT ON COLUMN customer_source.position IS 'Line number or 1-based index of that record in its origin.';
COMMENT ON COLUMN customer_source.first_seen_at IS 'When the hub first stored this source record.';
COMMENT ON COLUMN customer_source.updated_at IS 'When the hub last changed this row.';

CREATE TABLE customer_history (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    customer_id   VARCHAR(36)  NOT NULL,
    source        VARCHAR(64),
    source_key    VARCHAR(255),
    change_type   VARCHAR(16)  NOT NULL,
    changed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    before_values VARCHAR,
    after_values  VARCHAR,
    origin        VARCHAR,
    position      BIGINT
);
CREATE INDEX ix_customer_history_customer ON customer_history (customer_id, changed_at);
COMMENT ON TABLE customer_history IS 'Append-only log of changes to golden records; creation is not logged (see customer.created_at).';
COMMENT ON COLUMN customer_history.id IS 'Sequence number of the change.';
COMMENT ON COLUMN customer_history.customer_id IS 'The golden record (customer.id) that changed.';
COMMENT ON COLUMN customer_history.source IS 'Source system whose record caused the change.';
COMMENT ON COLUMN customer_history.source_key IS 'Key of that record in the source system.';
COMMENT ON COLUMN customer_history.change_type IS 'UPDATE; later versions add MERGE and UNMERGE.';
COMMENT ON COLUMN customer_history.changed_at IS 'When the hub stored the change.';
COMMENT ON COLUMN customer_history.before_values IS 'JSON object of the changed fields before the change, keyed by canonical field name (e.g. {"email":"a@x.cn"}); null values are JSON null.';
COMMENT ON COLUMN customer_history.after_values IS 'JSON object of the same fields after the change.';
COMMENT ON COLUMN customer_history.origin IS 'File name or URL of the delivery that caused the change.';
COMMENT ON COLUMN customer_history.position IS 'Line number or 1-based index of that record in its origin.';

CREATE TABLE quarantine (
    id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source        VARCHAR(64)  NOT NULL,
    source_key    VARCHAR,
    origin        VARCHAR,
    position      BIGINT,
    rule          VARCHAR      NOT NULL,
    reason        VARCHAR      NOT NULL,
    payload       VARCHAR,
    mapped_values VARCHAR      NOT NULL,
    message_id    UUID         NOT NULL,
    status        VARCHAR(16)  DEFAULT 'OPEN' NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_quarantine_status_source ON quarantine (status, source);
COMMENT ON TABLE quarantine IS 'Every record that failed parsing, cleansing or validation, with the rule that failed; data stewards fix and replay them.';
COMMENT ON COLUMN quarantine.id IS 'Entry number, in arrival order.';
COMMENT ON COLUMN quarantine.source IS 'Source system name.';
COMMENT ON COLUMN quarantine.source_key IS 'The record''s key in the source system, when it could be read.';
COMMENT ON COLUMN quarantine.origin IS 'File name or URL the record came from.';
COMMENT ON COLUMN quarantine.position IS 'Line number or 1-based index of the record in its origin.';
COMMENT ON COLUMN quarantine.rule IS 'The rule that failed, e.g. parse, required:fullName, format:email.';
COMMENT ON COLUMN quarantine.reason IS 'What is wrong, in a sentence a data steward can act on.';
COMMENT ON COLUMN quarantine.payload IS 'The record as received (JSON text).';
COMMENT ON COLUMN quarantine.mapped_values IS 'JSON object of the raw values mapped to canonical field names (e.g. {"sourceKey":"42","email":"x@"}); a data steward may edit it before a replay, which re-reads it.';
COMMENT ON COLUMN quarantine.message_id IS 'Idempotency key of the delivery (see processed_message.message_id).';
COMMENT ON COLUMN quarantine.status IS 'OPEN until a replay stores the record, then REPLAYED.';
COMMENT ON COLUMN quarantine.received_at IS 'When the hub quarantined the record.';
COMMENT ON COLUMN quarantine.resolved_at IS 'When a replay stored the record.';

CREATE TABLE processed_message (
    source       VARCHAR(64) NOT NULL,
    message_id   UUID        NOT NULL,
    processed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- message id first, for the same reason as pk_customer_source
    CONSTRAINT pk_processed_message PRIMARY KEY (message_id, source)
);
COMMENT ON TABLE processed_message IS 'Idempotent repository: every delivery the hub has processed (stored, left unchanged or quarantined); a delivery seen again is skipped as a duplicate.';
COMMENT ON COLUMN processed_message.source IS 'Source system name.';
COMMENT ON COLUMN processed_message.message_id IS 'Idempotency key: the first 16 bytes of the SHA-256 over the source and every mapped value of the delivery, as a UUID.';
COMMENT ON COLUMN processed_message.processed_at IS 'When the hub processed the delivery.';
