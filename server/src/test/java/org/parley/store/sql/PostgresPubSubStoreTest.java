package org.parley.store.sql;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.parley.store.PubSubStoreContractTest;
import org.parley.store.Stores;
import org.parley.testing.PostgresDatabase;

/** The PEP and caps store contract on the local PostgreSQL, in a database of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPubSubStoreTest extends PubSubStoreContractTest {
    private PostgresDatabase database;
    private SqlStores stores;

    @BeforeAll
    void createDatabase() {
        database = PostgresDatabase.create("parley_pep");
        stores = SqlStores.open(database.url(), 4);
    }

    @AfterAll
    void dropDatabase() throws SQLException {
        if (stores != null) {
            stores.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        database.truncateAll();
    }

    @Override
    protected Stores stores() {
        return stores;
    }
}
