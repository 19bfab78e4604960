/**
 * The connector plumbing that the sources ({@code ingest}) and the sync targets ({@code sync})
 * share, so that neither imports the other: template parameters and secrets, the HTTP connection
 * (credentials, timeouts, retries), the JDBC pool and SQL identifiers, and the shape of files.
 */
package io.customerhub.connect;
