package org.parley.store.sql;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.parley.store.ArchiveStoreContractTest;
import org.parley.store.Stores;
import org.parley.testing.PostgresDatabase;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresArchiveStoreTest extends ArchiveStoreContractTest {
    private PostgresDatabase database;
    private SqlStores stores;

    @BeforeAll
    void createDatabase() {
        database = PostgresDatabase.create("parley_archive");
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
