package io.customerhub.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SyncOutboxH2Test extends SyncOutboxCases {

    @TempDir
    static Path directory;

    @Override
    StoreTestDatabases.TestDatabase openDatabase() {
        return StoreTestDatabases.h2(directory);
    }
}
