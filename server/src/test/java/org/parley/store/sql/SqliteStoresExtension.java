package org.parley.store.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Stores on a fresh SQLite file for each test, so a store contract runs on SQLite by registering this. */
public final class SqliteStoresExtension implements BeforeEachCallback, AfterEachCallback {

    private Path dir;
    private SqlStores stores;

    public SqlStores stores() {
        return stores;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("parley-sqlite-");
        stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("parley.db"), 4);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        stores.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
