package org.parley.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.store.PendingSubscription;
import org.parley.store.RosterChange;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.Subscription;

final class SqlRosterStore implements RosterStore {

    /** Items with their groups in one statement, so a read sees one consistent snapshot. */
    private static final String SELECT_ITEMS = "SELECT i.jid, i.name, i.subscription, i.ask, i.approved, g.grp, i.ver"
            + " FROM roster_items i LEFT JOIN roster_groups g ON g.owner = i.owner AND g.jid = i.jid"
            + " WHERE i.owner = ?";

    private final Jdbc jdbc;
    private final java.time.Clock clock;

    SqlRosterStore(Jdbc jdbc, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public List<RosterItem> items(String owner) {
        List<RosterItem> items = new ArrayList<>(query(owner, null));
        // Sorted here, not by ORDER BY: collations differ between the databases and their locales.
        items.sort(Comparator.comparing(RosterItem::jid));
        return List.copyOf(items);
    }

    @Override
    public Optional<RosterItem> item(String owner, String contact) {
        return query(owner, contact).stream().findFirst();
    }

    @Override
    public long put(String owner, RosterItem item) {
        return jdbc.write("store roster item", c -> {
            jdbc.lockAccount(c, owner);
            long ver = nextVersion(c, owner);
            Jdbc.update(c, "INSERT INTO roster_items (owner, jid, name, subscription, ask, approved, ver)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner, jid) DO UPDATE SET"
                            + " name = excluded.name, subscription = excluded.subscription,"
                            + " ask = excluded.ask, approved = excluded.approved, ver = excluded.ver",
                    owner, item.jid(), item.name(), item.subscription().xmlValue(),
                    item.askSubscribe(), item.approved(), ver);
            Jdbc.update(c, "DELETE FROM roster_removals WHERE owner = ? AND jid = ?", owner, item.jid());
            Jdbc.update(c, "DELETE FROM roster_groups WHERE owner = ? AND jid = ?", owner, item.jid());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO roster_groups (owner, jid, grp) VALUES (?, ?, ?)")) {
                for (String group : item.groups()) {
                    ps.setString(1, owner);
                    ps.setString(2, item.jid());
                    ps.setString(3, group);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return ver;
        });
    }

    @Override
    public boolean remove(String owner, String contact) {
        return jdbc.write("remove roster item", c -> {
            if (!jdbc.lockAccountIfExists(c, owner)
                    || Jdbc.update(c, "DELETE FROM roster_items WHERE owner = ? AND jid = ?", owner, contact) == 0) {
                return false;
            }
            long ver = nextVersion(c, owner);
            Jdbc.update(c, "INSERT INTO roster_removals (owner, jid, ver) VALUES (?, ?, ?)"
                    + " ON CONFLICT (owner, jid) DO UPDATE SET ver = excluded.ver", owner, contact, ver);
            return true;
        });
    }

    /**
     * Takes the owner's next roster version; call with the account locked. The first version is
     * the current time in milliseconds, not 1: an account removed and created again under the
     * same name must not hand out versions a client cached for the old one.
     */
    private long nextVersion(Connection c, String owner) throws SQLException {
        long start = Math.max(1, clock.millis());
        Jdbc.update(c, "INSERT INTO roster_versions (owner, ver, floor) VALUES (?, ?, ?)"
                + " ON CONFLICT (owner) DO UPDATE SET ver = roster_versions.ver + 1", owner, start, start);
        return versionRow(c, owner)[0];
    }

    /** {ver, floor} of the owner, {0, 0} before the first change. */
    private static long[] versionRow(Connection c, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ver, floor FROM roster_versions WHERE owner = ?")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
            }
        }
    }

    @Override
    public long version(String owner) {
        return jdbc.read("read roster version", c -> versionRow(c, owner)[0]);
    }

    @Override
    public Optional<List<RosterChange>> changesSince(String owner, long since) {
        // One transaction, so the version, the items and the removals are one snapshot.
        return jdbc.write("read roster changes", c -> {
            long[] row = versionRow(c, owner);
            if (since > row[0] || since < row[1]) {
                return Optional.empty();
            }
            List<RosterChange> changes = new ArrayList<>();
            for (Versioned v : query(c, owner, null, since)) {
                changes.add(new RosterChange(v.ver(), v.item().jid(), v.item()));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT jid, ver FROM roster_removals WHERE owner = ? AND ver > ?")) {
                ps.setString(1, owner);
                ps.setLong(2, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new RosterChange(rs.getLong(2), rs.getString(1), null));
                    }
                }
            }
            changes.sort(Comparator.comparingLong(RosterChange::version));
            return Optional.of(List.copyOf(changes));
        });
    }

    @Override
    public void trimRemovals(String owner, int keep) {
        jdbc.write("trim roster removals", c -> {
            if (!jdbc.lockAccountIfExists(c, owner)) {
                return null;
            }
            long newest = -1;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ver FROM roster_removals WHERE owner = ? ORDER BY ver DESC LIMIT 1 OFFSET ?")) {
                ps.setString(1, owner);
                ps.setInt(2, keep);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        newest = rs.getLong(1);
                    }
                }
            }
            if (newest >= 0) {
                // A client at a version below this one may have missed a forgotten removal.
                Jdbc.update(c, "DELETE FROM roster_removals WHERE owner = ? AND ver <= ?", owner, newest);
                Jdbc.update(c, "UPDATE roster_versions SET floor = ? WHERE owner = ? AND floor < ?",
                        newest, owner, newest);
            }
            return null;
        });
    }

    @Override
    public List<PendingSubscription> pendingIn(String owner) {
        return jdbc.read("read pending subscriptions", c -> {
            List<PendingSubscription> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT from_jid, stanza FROM pending_in WHERE owner = ? ORDER BY seq")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new PendingSubscription(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return List.copyOf(result);
        });
    }

    @Override
    public void addPendingIn(String owner, PendingSubscription pending) {
        jdbc.write("store pending subscription", c -> {
            // The account lock makes MAX(seq) + 1 safe against a concurrent request for the same owner.
            jdbc.lockAccount(c, owner);
            Jdbc.update(c, "DELETE FROM pending_in WHERE owner = ? AND from_jid = ?", owner, pending.from());
            Jdbc.update(c, "INSERT INTO pending_in (owner, from_jid, stanza, seq) VALUES (?, ?, ?,"
                            + " (SELECT COALESCE(MAX(seq), 0) + 1 FROM pending_in WHERE owner = ?))",
                    owner, pending.from(), pending.stanzaXml(), owner);
            return null;
        });
    }

    @Override
    public boolean removePendingIn(String owner, String from) {
        return jdbc.write("remove pending subscription", c ->
                Jdbc.update(c, "DELETE FROM pending_in WHERE owner = ? AND from_jid = ?", owner, from) > 0);
    }

    /** An item with the version of its last change. */
    private record Versioned(RosterItem item, long ver) {
    }

    /** Items of the owner, or only the one contact when {@code contact} is not null. */
    private List<RosterItem> query(String owner, String contact) {
        return jdbc.read("read roster", c -> query(c, owner, contact, -1).stream().map(Versioned::item).toList());
    }

    /** As {@link #query(String, String)}, only items changed after {@code since} when it is not negative. */
    private static List<Versioned> query(Connection c, String owner, String contact, long since) throws SQLException {
        String sql = SELECT_ITEMS + (contact == null ? "" : " AND i.jid = ?") + (since < 0 ? "" : " AND i.ver > ?");
        Map<String, Versioned> items = new LinkedHashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, owner);
            if (contact != null) {
                ps.setString(i++, contact);
            }
            if (since >= 0) {
                ps.setLong(i, since);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String jid = rs.getString(1);
                    if (!items.containsKey(jid)) {
                        items.put(jid, new Versioned(new RosterItem(jid, rs.getString(2),
                                Subscription.fromXml(rs.getString(3)), rs.getBoolean(4), rs.getBoolean(5), List.of()),
                                rs.getLong(7)));
                    }
                    String group = rs.getString(6);
                    List<String> list = groups.computeIfAbsent(jid, j -> new ArrayList<>());
                    if (group != null) {
                        list.add(group);
                    }
                }
            }
        }
        return items.values().stream()
                .map(v -> new Versioned(v.item().withGroups(groups.get(v.item().jid())), v.ver())).toList();
    }
}
