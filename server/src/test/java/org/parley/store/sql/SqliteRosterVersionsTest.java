package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.RosterVersionsContractTest;
import org.parley.store.Stores;

/** The roster versions contract on a fresh SQLite file per test. */
class SqliteRosterVersionsTest extends RosterVersionsContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected Stores stores() {
        return sqlite.stores();
    }
}
