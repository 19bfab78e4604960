/**
 * How a source's fields map to canonical fields ({@link io.customerhub.mapping.FieldMapping}),
 * read forwards by the sources and backwards by the sync targets. It knows record trees (Jackson
 * nodes) and canonical fields, neither a connector nor the store, so that {@code ingest} and
 * {@code sync} share it without knowing each other.
 */
package io.customerhub.mapping;
