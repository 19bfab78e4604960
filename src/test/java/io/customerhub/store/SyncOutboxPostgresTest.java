package io.customerhub.store;

class SyncOutboxPostgresTest extends SyncOutboxCases {

    @Override
    StoreTestDatabases.TestDatabase openDatabase() {
        return StoreTestDatabases.postgres();
    }
}
