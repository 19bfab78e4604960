package io.customerhub.store;

class CustomerStorePostgresTest extends CustomerStoreCases {

    @Override
    StoreTestDatabases.TestDatabase openDatabase() {
        return StoreTestDatabases.postgres();
    }
}
