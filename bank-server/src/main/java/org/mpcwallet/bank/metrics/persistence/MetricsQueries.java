package org.mpcwallet.bank.metrics.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/** The counts the gauges show (docs/integration.md "Metrics"), read in one short statement each. */
@Singleton
public class MetricsQueries {
    /** Transfers per state, and how many of the unfinished ones are due for the worker now. */
    public record PipelineCounts(Map<String, Long> perState, long due, Map<String, Double> oldestSeconds) {
    }

    private final DataSource dataSource;

    public MetricsQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public PipelineCounts pipeline() throws SQLException {
        Map<String, Long> per = new LinkedHashMap<>();
        Map<String, Double> oldest = new LinkedHashMap<>();
        long due = 0;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select status, count(*) from tx_requests group by status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    per.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*) from tx_requests where next_attempt_at "
                    + "<= now() and status not in ('FINALIZED', 'REJECTED', 'KYT_BLOCKED', 'POLICY_BLOCKED', "
                    + "'FAILED_SIGN', 'FAILED_BROADCAST')");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                due = rs.getLong(1);
            }
            // time in state: how long the longest-waiting transfer of each unfinished state has been in it
            try (PreparedStatement ps = c.prepareStatement("select status, extract(epoch from now() - "
                    + "min(status_since)) from tx_requests where status not in ('FINALIZED', 'REJECTED', "
                    + "'KYT_BLOCKED', 'POLICY_BLOCKED', 'FAILED_SIGN') group by status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oldest.put(rs.getString(1), rs.getDouble(2));
                }
            }
        }
        return new PipelineCounts(per, due, oldest);
    }

    /** KYT cases waiting for a decision and key incidents not resolved, for the console's overview. */
    public record Attention(long openCases, long openIncidents) {
    }

    public Attention attention() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select (select "
                + "count(*) from kyt_cases where status = 'OPEN'), (select count(*) from incidents where status = "
                + "'OPEN')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Attention(rs.getLong(1), rs.getLong(2));
        }
    }
}
