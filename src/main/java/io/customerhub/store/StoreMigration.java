package io.customerhub.store;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A version of the schema written in Java (where plain SQL would differ between H2 and PostgreSQL), run in the
 * migration's transaction. The checksum is what Flyway recorded when the store applied it: changing it fails the
 * validation of every store migrated since.
 */
abstract class StoreMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;
    private final Integer checksum;

    StoreMigration(String version, String description, Integer checksum) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
        this.checksum = checksum;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return checksum;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
