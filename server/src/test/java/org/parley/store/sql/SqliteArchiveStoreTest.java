package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.ArchiveStoreContractTest;
import org.parley.store.Stores;

/** The archive store contract on a fresh SQLite file per test. */
class SqliteArchiveStoreTest extends ArchiveStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected Stores stores() {
        return sqlite.stores();
    }
}
