package org.parley.store.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.PushStoreContractTest;
import org.parley.store.Stores;

/** The push store contract on SQLite. */
class SqlitePushStoreTest extends PushStoreContractTest {

    @TempDir
    Path dir;
    private SqlStores stores;

    @BeforeEach
    void open() {
        stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("parley.db"), 2);
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
