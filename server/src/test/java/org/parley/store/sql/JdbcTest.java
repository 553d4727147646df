package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.parley.store.StoreException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Which SQL failures mean a full database, the one a client may retry later (resource-constraint). */
class JdbcTest {

    @Test
    void sqliteFullAndOutOfMemoryAreFull() {
        assertThat(Jdbc.kind(new SQLiteException("database or disk is full", SQLiteErrorCode.SQLITE_FULL)))
                .isEqualTo(StoreException.Kind.FULL);
        assertThat(Jdbc.kind(new SQLiteException("out of memory", SQLiteErrorCode.SQLITE_NOMEM)))
                .isEqualTo(StoreException.Kind.FULL);
        assertThat(Jdbc.kind(new SQLiteException("disk I/O error", SQLiteErrorCode.SQLITE_IOERR_WRITE)))
                .isEqualTo(StoreException.Kind.FAILURE);
        assertThat(Jdbc.kind(new SQLiteException("constraint", SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)))
                .isEqualTo(StoreException.Kind.FAILURE);
    }

    @Test
    void postgresInsufficientResourcesAreFull() {
        assertThat(Jdbc.kind(new SQLException("could not extend file", "53100"))).isEqualTo(StoreException.Kind.FULL);
        assertThat(Jdbc.kind(new SQLException("out of memory", "53200"))).isEqualTo(StoreException.Kind.FULL);
        assertThat(Jdbc.kind(new SQLException("duplicate key", "23505"))).isEqualTo(StoreException.Kind.FAILURE);
        assertThat(Jdbc.kind(new SQLException("connection refused", "08001"))).isEqualTo(StoreException.Kind.FAILURE);
        assertThat(Jdbc.kind(new SQLException("no state"))).isEqualTo(StoreException.Kind.FAILURE);
    }

    @Test
    void theReasonMayBeChainedOrWrapped() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 3 was aborted", "xx000", new int[0]);
        batch.setNextException(new SQLException("could not extend file", "53100"));
        assertThat(Jdbc.kind(batch)).isEqualTo(StoreException.Kind.FULL);
        assertThat(Jdbc.kind(new SQLException("wrapped", new SQLException("disk full", "53100"))))
                .isEqualTo(StoreException.Kind.FULL);
        assertThat(Jdbc.failed("storing", new SQLException("disk full", "53100")).kind())
                .isEqualTo(StoreException.Kind.FULL);
    }
}
