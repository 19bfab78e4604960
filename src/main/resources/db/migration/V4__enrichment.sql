-- External lookups (content enricher, routes/templates/http-lookup.camel.yaml): what they added to
-- each source record and whether they succeeded. Plain SQL for H2 2.x and PostgreSQL 15.

ALTER TABLE customer_source ADD COLUMN enrichment_status VARCHAR(16);
ALTER TABLE customer_source ADD COLUMN enrichment_reason VARCHAR;
ALTER TABLE customer_source ADD COLUMN enrichment_values VARCHAR;
COMMENT ON COLUMN customer_source.enrichment_status IS 'Outcome of the HTTP lookups for the delivery stored last: ENRICHED, NOT_ENRICHED (a lookup failed or found nothing; the record is stored all the same) or SKIPPED (the record lacks the key field); null when no lookup is declared.';
COMMENT ON COLUMN customer_source.enrichment_reason IS 'Why not enriched or skipped, per lookup, ; separated, e.g. segment: timeout, segment: HTTP 500, segment: not found, segment: no phone; null when enriched.';
COMMENT ON COLUMN customer_source.enrichment_values IS 'JSON object of the looked-up attributes by the names the lookup declares (values as text), e.g. {"segment":"gold"}; null when none.';
