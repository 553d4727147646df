package org.parley.store.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.ArchiveStoreContractTest;
import org.parley.store.Stores;

class SqliteArchiveStoreTest extends ArchiveStoreContractTest {
    @TempDir
    Path dir;
    private SqlStores stores;

    @BeforeEach
    void open() {
        stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("parley.db"), 4);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Override
    protected Stores stores() {
        return stores;
    }
}
