/**
 * The database every store is on ({@link org.parley.store.sql.Database}: pool, {@link
 * org.parley.store.sql.Jdbc} helper, dialect, clock, migrations, account-removal hooks) and the
 * JDBC implementation of the core's {@link org.parley.store} interfaces, with two dialects:
 * SQLite (embedded default) and PostgreSQL (production, cluster). The core's schema is versioned
 * by Flyway migrations under {@code db/migration/sqlite} and {@code db/migration/postgresql}; a
 * feature's under {@code db/<feature>/<dialect>}, with its own history table.
 *
 * <p>Durability first (nothing acknowledged is lost): SQLite runs in WAL mode with
 * {@code synchronous=FULL}, so a committed transaction survives a power cut, not only a
 * process crash; foreign keys are enforced so deleting an account cascades to its data. A new
 * database is created with 16 KiB pages (SQLite's default is 4 KiB): each WAL frame is two write
 * calls, a fourth as many per byte. A commit copies the WAL into the database file once it holds
 * about 40 MB ({@code wal_autocheckpoint} in the database's pages, not SQLite's 4 MB), so pages
 * the archive's group commits dirty again and again are copied once per checkpoint rather than
 * once per commit.
 *
 * <p>Write serialization. SQLite allows one writer at a time. Writers in this JVM queue on a
 * fair lock and then open their transaction with {@code BEGIN IMMEDIATE}, so a transaction
 * never has to upgrade a read lock to a write lock (which fails at once with SQLITE_BUSY);
 * {@code busy_timeout} covers writers in other processes (the command line tools). Readers
 * use the rest of the pool and are not blocked in WAL mode. On PostgreSQL, transactions that
 * must be ordered or capped per user (offline messages, pending requests) first lock the
 * owner's account row, which serializes them per user only.
 */
package org.parley.store.sql;
