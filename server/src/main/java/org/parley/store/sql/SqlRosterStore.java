package org.parley.store.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.store.PendingSubscription;
import org.parley.store.RosterItem;
import org.parley.store.RosterStore;
import org.parley.store.Subscription;

final class SqlRosterStore implements RosterStore {

    /** Items with their groups in one statement, so a read sees one consistent snapshot. */
    private static final String SELECT_ITEMS = "SELECT i.jid, i.name, i.subscription, i.ask, i.approved, g.grp"
            + " FROM roster_items i LEFT JOIN roster_groups g ON g.owner = i.owner AND g.jid = i.jid"
            + " WHERE i.owner = ?";

    private final Jdbc jdbc;

    SqlRosterStore(Jdbc jdbc) {
        this.jdbc = jdbc;
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
    public void put(String owner, RosterItem item) {
        jdbc.write("store roster item", c -> {
            jdbc.lockAccount(c, owner);
            Jdbc.update(c, "INSERT INTO roster_items (owner, jid, name, subscription, ask, approved)"
                            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner, jid) DO UPDATE SET"
                            + " name = excluded.name, subscription = excluded.subscription,"
                            + " ask = excluded.ask, approved = excluded.approved",
                    owner, item.jid(), item.name(), item.subscription().xmlValue(),
                    item.askSubscribe(), item.approved());
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
            return null;
        });
    }

    @Override
    public boolean remove(String owner, String contact) {
        return jdbc.write("remove roster item", c ->
                Jdbc.update(c, "DELETE FROM roster_items WHERE owner = ? AND jid = ?", owner, contact) > 0);
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

    /** Items of the owner, or only the one contact when {@code contact} is not null. */
    private List<RosterItem> query(String owner, String contact) {
        return jdbc.read("read roster", c -> {
            String sql = contact == null ? SELECT_ITEMS : SELECT_ITEMS + " AND i.jid = ?";
            Map<String, RosterItem> items = new LinkedHashMap<>();
            Map<String, List<String>> groups = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, owner);
                if (contact != null) {
                    ps.setString(2, contact);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String jid = rs.getString(1);
                        if (!items.containsKey(jid)) {
                            items.put(jid, new RosterItem(jid, rs.getString(2), Subscription.fromXml(rs.getString(3)),
                                    rs.getBoolean(4), rs.getBoolean(5), List.of()));
                        }
                        String group = rs.getString(6);
                        List<String> list = groups.computeIfAbsent(jid, j -> new ArrayList<>());
                        if (group != null) {
                            list.add(group);
                        }
                    }
                }
            }
            return items.values().stream().map(i -> i.withGroups(groups.get(i.jid()))).toList();
        });
    }
}
