package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.ContactStoresContractTest;
import org.parley.store.Stores;

/** The contact stores contract on a fresh SQLite file per test. */
class SqliteContactStoresTest extends ContactStoresContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected Stores stores() {
        return sqlite.stores();
    }
}
