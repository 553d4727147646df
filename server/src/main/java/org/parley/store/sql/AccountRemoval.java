package org.parley.store.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a feature removes when an account is removed, beyond what the database removes by itself.
 * A feature's table that holds an account's rows references {@code accounts (username) ON DELETE
 * CASCADE} and needs no hook; a hook is for what no foreign key can reach. Hooks run in the
 * transaction that deletes the account, before its row goes, so the account is removed with all
 * of them or not at all.
 */
@FunctionalInterface
public interface AccountRemoval {

    /** Removes {@code username}'s data on {@code c}, inside the account's deleting transaction. */
    void remove(Connection c, String username) throws SQLException;
}
