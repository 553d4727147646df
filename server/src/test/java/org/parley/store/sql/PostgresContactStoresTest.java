package org.parley.store.sql;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.parley.store.ContactStoresContractTest;
import org.parley.store.Stores;
import org.parley.testing.PostgresDatabase;

/** {@link ContactStoresContractTest} on the local PostgreSQL, in a database of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresContactStoresTest extends ContactStoresContractTest {

    private PostgresDatabase database;
    private SqlStores stores;

    @BeforeAll
    void createDatabase() {
        database = PostgresDatabase.create("parley_contacts");
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
