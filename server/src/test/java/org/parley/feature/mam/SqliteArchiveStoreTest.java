package org.parley.feature.mam;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.SqlStores;
import org.parley.store.sql.SqliteStoresExtension;

/** The archive store contract on a fresh SQLite file per test. */
class SqliteArchiveStoreTest extends ArchiveStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }
}
