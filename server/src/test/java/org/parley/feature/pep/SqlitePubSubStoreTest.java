package org.parley.feature.pep;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.SqlStores;
import org.parley.store.sql.SqliteStoresExtension;

/** The PEP store contract on a fresh SQLite file per test. */
class SqlitePubSubStoreTest extends PubSubStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }
}
