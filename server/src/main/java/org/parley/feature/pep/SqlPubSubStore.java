package org.parley.feature.pep;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlPubSubStore implements PubSubStore {

    private final Jdbc jdbc;

    public SqlPubSubStore(Database database) {
        this.jdbc = database.jdbc();
    }

    /** 'field=value' lines: values of the node configuration form never contain line breaks. */
    static String encode(Map<String, String> config) {
        StringBuilder sb = new StringBuilder();
        config.forEach((k, v) -> sb.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        return sb.toString();
    }

    static Map<String, String> decode(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Override
    public Optional<Map<String, String>> config(String owner, String node) {
        return jdbc.read("read node", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT config FROM pubsub_nodes WHERE owner = ? AND node = ?")) {
                ps.setString(1, owner);
                ps.setString(2, node);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(decode(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<String> nodes(String owner) {
        return jdbc.read("list nodes", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT node FROM pubsub_nodes WHERE owner = ? ORDER BY node")) {
                ps.setString(1, owner);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<NodeState> nodeStates(String owner) {
        return jdbc.read("read nodes", c -> {
            String sql = "SELECT n.node, n.config, i.item_id, i.payload, i.seq FROM pubsub_nodes n"
                    + " LEFT JOIN pubsub_items i ON i.owner = n.owner AND i.node = n.node"
                    + " AND i.seq = (SELECT MAX(seq) FROM pubsub_items m WHERE m.owner = n.owner AND m.node = n.node)"
                    + " WHERE n.owner = ? ORDER BY n.node";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, owner);
                List<NodeState> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(3);
                        Item last = id == null ? null : new Item(id, rs.getString(4), rs.getLong(5));
                        out.add(new NodeState(rs.getString(1), decode(rs.getString(2)), last));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Map<String, List<NodeState>> nodeStates(Collection<String> owners, Collection<String> nodes) {
        Map<String, List<NodeState>> out = new LinkedHashMap<>();
        if (owners.isEmpty() || nodes.isEmpty()) {
            return out;
        }
        List<String> nodeList = List.copyOf(nodes);
        List<String> ownerList = List.copyOf(owners);
        // Chunks keep the statement within every driver's parameter limit.
        for (int from = 0; from < ownerList.size(); from += 500) {
            List<String> chunk = ownerList.subList(from, Math.min(ownerList.size(), from + 500));
            jdbc.read("read nodes", c -> {
                String sql = "SELECT n.owner, n.node, n.config, i.item_id, i.payload, i.seq FROM pubsub_nodes n"
                        + " LEFT JOIN pubsub_items i ON i.owner = n.owner AND i.node = n.node"
                        + " AND i.seq = (SELECT MAX(seq) FROM pubsub_items m WHERE m.owner = n.owner AND m.node = n.node)"
                        + " WHERE n.owner IN (" + marks(chunk.size()) + ") AND n.node IN (" + marks(nodeList.size()) + ")"
                        + " ORDER BY n.owner, n.node";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (String o : chunk) {
                        ps.setString(i++, o);
                    }
                    for (String n : nodeList) {
                        ps.setString(i++, n);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(4);
                            Item last = id == null ? null : new Item(id, rs.getString(5), rs.getLong(6));
                            out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(new NodeState(rs.getString(2), decode(rs.getString(3)), last));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    @Override
    public Created createNode(String owner, String node, Map<String, String> config, int maxNodes) {
        return jdbc.write("create node", c -> {
            jdbc.lockAccount(c, owner);
            if (exists(c, owner, node)) {
                return Created.EXISTS;
            }
            if (count(c, "SELECT COUNT(*) FROM pubsub_nodes WHERE owner = ?", owner) >= maxNodes) {
                return Created.LIMIT_REACHED;
            }
            Jdbc.update(c, "INSERT INTO pubsub_nodes (owner, node, config) VALUES (?, ?, ?)", owner, node, encode(config));
            return Created.CREATED;
        });
    }

    @Override
    public boolean configure(String owner, String node, Map<String, String> config, int maxItems) {
        return jdbc.write("configure node", c -> {
            jdbc.lockAccount(c, owner);
            if (Jdbc.update(c, "UPDATE pubsub_nodes SET config = ? WHERE owner = ? AND node = ?",
                    encode(config), owner, node) == 0) {
                return false;
            }
            trim(c, owner, node, maxItems);
            return true;
        });
    }

    @Override
    public boolean deleteNode(String owner, String node) {
        return jdbc.write("delete node",
                c -> Jdbc.update(c, "DELETE FROM pubsub_nodes WHERE owner = ? AND node = ?", owner, node) > 0);
    }

    @Override
    public boolean publish(String owner, String node, String itemId, String payload, int maxItems) {
        return jdbc.write("publish item", c -> {
            jdbc.lockAccount(c, owner);
            if (!exists(c, owner, node)) {
                return false;
            }
            if (maxItems > 0) {
                long seq = count(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM pubsub_items WHERE owner = ? AND node = ?",
                        owner, node);
                Jdbc.update(c, "INSERT INTO pubsub_items (owner, node, item_id, payload, seq) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (owner, node, item_id) DO UPDATE SET payload = excluded.payload, seq = excluded.seq",
                        owner, node, itemId, payload, seq);
            }
            trim(c, owner, node, maxItems);
            return true;
        });
    }

    /** Keeps the {@code maxItems} newest items of a node. */
    private static void trim(Connection c, String owner, String node, int maxItems) throws SQLException {
        Jdbc.update(c, "DELETE FROM pubsub_items WHERE owner = ? AND node = ? AND seq NOT IN"
                + " (SELECT seq FROM pubsub_items WHERE owner = ? AND node = ? ORDER BY seq DESC LIMIT ?)",
                owner, node, owner, node, maxItems);
    }

    @Override
    public boolean retract(String owner, String node, String itemId) {
        return jdbc.write("retract item", c -> Jdbc.update(c,
                "DELETE FROM pubsub_items WHERE owner = ? AND node = ? AND item_id = ?", owner, node, itemId) > 0);
    }

    @Override
    public boolean purge(String owner, String node) {
        return jdbc.write("purge node", c -> {
            if (!exists(c, owner, node)) {
                return false;
            }
            Jdbc.update(c, "DELETE FROM pubsub_items WHERE owner = ? AND node = ?", owner, node);
            return true;
        });
    }

    @Override
    public List<Item> items(String owner, String node, int max) {
        return jdbc.read("read items", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT item_id, payload, seq FROM pubsub_items"
                    + " WHERE owner = ? AND node = ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, owner);
                ps.setString(2, node);
                ps.setInt(3, max);
                List<Item> out = readItems(ps);
                java.util.Collections.reverse(out);
                return out;
            }
        });
    }

    @Override
    public List<Item> items(String owner, String node, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.read("read items", c -> {
            String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT item_id, payload, seq FROM pubsub_items"
                    + " WHERE owner = ? AND node = ? AND item_id IN (" + marks + ") ORDER BY seq")) {
                ps.setString(1, owner);
                ps.setString(2, node);
                int i = 3;
                for (String id : ids) {
                    ps.setString(i++, id);
                }
                return readItems(ps);
            }
        });
    }

    private static List<Item> readItems(PreparedStatement ps) throws SQLException {
        List<Item> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Item(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return out;
    }

    @Override
    public Map<String, String> affiliations(String owner, String node) {
        return jdbc.read("read affiliations", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT jid, affiliation FROM pubsub_affiliations"
                    + " WHERE owner = ? AND node = ? ORDER BY jid")) {
                ps.setString(1, owner);
                ps.setString(2, node);
                Map<String, String> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean affiliate(String owner, String node, String jid, String affiliation) {
        return jdbc.write("set affiliation", c -> {
            if (!exists(c, owner, node)) {
                return false;
            }
            if ("none".equals(affiliation)) {
                Jdbc.update(c, "DELETE FROM pubsub_affiliations WHERE owner = ? AND node = ? AND jid = ?", owner, node, jid);
            } else {
                Jdbc.update(c, "INSERT INTO pubsub_affiliations (owner, node, jid, affiliation) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (owner, node, jid) DO UPDATE SET affiliation = excluded.affiliation",
                        owner, node, jid, affiliation);
            }
            return true;
        });
    }

    private static boolean exists(Connection c, String owner, String node) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM pubsub_nodes WHERE owner = ? AND node = ?", owner, node) > 0;
    }

    private static long count(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
