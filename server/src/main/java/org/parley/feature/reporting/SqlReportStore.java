package org.parley.feature.reporting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.store.sql.Database;
import org.parley.store.sql.Jdbc;

public final class SqlReportStore implements ReportStore {

    private final Jdbc jdbc;

    public SqlReportStore(Database database) {
        this.jdbc = database.jdbc();
    }

    @Override
    public boolean add(Report report, int maxPerUser) {
        return jdbc.write("store abuse report", c -> {
            // The reporter's account lock makes count-then-insert one step against concurrent blocks.
            jdbc.lockAccount(c, report.reporter());
            if (count(c, report.reporter()) >= maxPerUser) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO abuse_reports (reporter, jid, reason, text, stanza_ids, reported_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", report.reporter(), report.jid(), report.reason(),
                    report.text(), report.stanzaIds().isEmpty() ? null : String.join("\n", report.stanzaIds()),
                    report.reportedAt().toEpochMilli());
            return true;
        });
    }

    @Override
    public List<Report> newest(int limit) {
        return jdbc.read("read abuse reports", c -> {
            List<Report> reports = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT reporter, jid, reason, text, stanza_ids, reported_at"
                    + " FROM abuse_reports ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String ids = rs.getString(5);
                        reports.add(new Report(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                ids == null ? List.of() : Arrays.asList(ids.split("\n")),
                                Instant.ofEpochMilli(rs.getLong(6))));
                    }
                }
            }
            return reports;
        });
    }

    private static int count(Connection c, String reporter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM abuse_reports WHERE reporter = ?")) {
            ps.setString(1, reporter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
