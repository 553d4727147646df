package org.parley.store.sql;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.parley.store.StoreContractTest;
import org.parley.store.Stores;
import org.parley.testing.PostgresDatabase;

/**
 * The store contract on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in a
 * database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresStoresTest extends StoreContractTest {

    private PostgresDatabase database;
    private SqlStores stores;

    @BeforeAll
    void createDatabase() {
        database = PostgresDatabase.create("parley_test");
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
