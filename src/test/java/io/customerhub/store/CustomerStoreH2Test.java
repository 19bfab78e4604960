package io.customerhub.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class CustomerStoreH2Test extends CustomerStoreCases {

    @TempDir
    static Path directory;

    @Override
    StoreTestDatabases.TestDatabase openDatabase() {
        return StoreTestDatabases.h2(directory);
    }
}
