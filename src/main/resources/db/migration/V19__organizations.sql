-- Organizations as customers: a source record and a golden record say whether they are a person or an organization.
-- Plain SQL for H2 2.x and PostgreSQL 15.
ALTER TABLE customer_source ADD COLUMN customer_type VARCHAR(16);
ALTER TABLE customer ADD COLUMN customer_type VARCHAR(16);
COMMENT ON COLUMN customer_source.customer_type IS 'ORGANIZATION for an organization (a company, an agency, one of its sites); null for a person.';
COMMENT ON COLUMN customer.customer_type IS 'ORGANIZATION for an organization, null for a person: the type of the source record that gives the golden record its name.';
