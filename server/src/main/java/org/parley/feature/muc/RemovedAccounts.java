package org.parley.feature.muc;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.parley.store.AccountStore;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;
import org.parley.xmpp.Jid;

/**
 * What goes with a removed account in the group chat service: its affiliations in every room
 * (and the nickname registered with one) and its push choices. Its occupancy ends with its
 * sessions, which the removal closes (their directed presence tells the rooms they left). On a
 * running server the rows go in the account's deleting transaction and the rooms in memory
 * forget the account right after; an account removed from the command line while the server is
 * stopped, which knows no domain to name the account by, is swept from the rooms at the next start.
 */
final class RemovedAccounts {
    private volatile String domain;
    private volatile Rooms rooms;

    /** Registers the removal hook; the rooms are told once {@link #start} named the domain. */
    void register(Database database) {
        database.onAccountRemoved((c, username) -> {
            String d = domain;
            Rooms r = rooms;
            if (d == null || r == null) {
                return; // the command line: swept at the next start
            }
            Jid user = Jid.of(username + "@" + d);
            Jdbc.update(c, "DELETE FROM muc_affiliations WHERE jid = ?", user.toString());
            Jdbc.update(c, "DELETE FROM muc_push WHERE jid = ?", user.toString());
            // Not on this thread: a room written now would wait for this transaction's lock.
            Thread.ofVirtual().name("parley-muc-removed").start(() -> r.forget(user));
        });
    }

    /** Forgets, in every room, the accounts of {@code serverDomain} removed while the server was stopped. */
    void start(String serverDomain, Rooms all, AccountStore accounts) {
        Map<String, Boolean> exists = new HashMap<>();
        Predicate<Jid> removed = j -> j.local() != null && j.resource() == null && j.domain().equals(serverDomain)
                && !exists.computeIfAbsent(j.local(), accounts::exists);
        all.sweep(removed);
        this.rooms = all;
        this.domain = serverDomain;
    }
}
