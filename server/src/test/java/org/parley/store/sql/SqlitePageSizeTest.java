package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite database Parley creates has {@link Database#SQLITE_PAGE_SIZE} pages and the WAL on;
 * one that exists already keeps its own page size and its data.
 */
class SqlitePageSizeTest {

    @TempDir
    Path dir;

    @Test
    void aNewDatabaseHasLargePagesAndTheWal() throws Exception {
        Path file = dir.resolve("sub").resolve("new.db");
        try (Database db = open(file)) {
            assertThat(pragma(db, "page_size")).isEqualTo(String.valueOf(Database.SQLITE_PAGE_SIZE));
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(c, "page_size")).as("as the file says, read without Parley")
                    .isEqualTo(String.valueOf(Database.SQLITE_PAGE_SIZE));
        }
    }

    @Test
    void anEmptyFileIsANewDatabase() throws Exception {
        Path file = dir.resolve("empty.db");
        Files.createFile(file);
        try (Database db = open(file)) {
            assertThat(pragma(db, "page_size")).isEqualTo(String.valueOf(Database.SQLITE_PAGE_SIZE));
        }
    }

    @Test
    void anExistingDatabaseKeepsItsPagesAndItsData() throws Exception {
        Path file = dir.resolve("old.db");
        // As SQLite made it before: 4 KiB pages, fixed once the WAL wrote the first page.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=4096");
            s.execute("PRAGMA journal_mode=WAL");
        }
        try (Database db = open(file); Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('from before')");
        }
        try (Database db = open(file)) {
            assertThat(pragma(db, "page_size")).isEqualTo("4096");
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(Long.parseLong(pragma(db, "wal_autocheckpoint"))).as("the same WAL bytes in its pages")
                    .isEqualTo(Database.SQLITE_WAL_CHECKPOINT_BYTES / 4096);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("from before");
            }
        }
    }

    private static Database open(Path file) {
        return Database.open("jdbc:sqlite:" + file, 2, Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static String pragma(Database db, String name) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return pragma(c, name);
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
