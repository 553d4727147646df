package org.parley.store.sql;

import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.testing.PostgresDatabase;

/**
 * Stores on a throwaway PostgreSQL database for one test class, emptied before each test, so a
 * store contract runs on PostgreSQL by registering this as a static extension.
 */
public final class PostgresStoresExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final String prefix;
    private PostgresDatabase database;
    private SqlStores stores;

    public PostgresStoresExtension(String prefix) {
        this.prefix = prefix;
    }

    public SqlStores stores() {
        return stores;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgresDatabase.create(prefix);
        stores = SqlStores.open(database.url(), 4);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        database.truncateAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (stores != null) {
            stores.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
