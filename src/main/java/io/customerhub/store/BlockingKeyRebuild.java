package io.customerhub.store;

import org.flywaydb.core.api.migration.Context;

/**
 * Version 5 of the schema, which rebuilt the {@code match_key} table for new blocking keys. The
 * table is gone since version 10 (the blocking index lives in memory and is rebuilt at every start,
 * so a change of the keys needs no migration any more); the version stays, doing nothing, because
 * the stores migrated before keep it in their history and Flyway checks that it still exists.
 */
final class BlockingKeyRebuild extends StoreMigration {

    BlockingKeyRebuild() {
        super("5", "rebuild blocking keys", null);
    }

    @Override
    public void migrate(Context context) {
        // nothing left to rebuild: see the class comment
    }
}
