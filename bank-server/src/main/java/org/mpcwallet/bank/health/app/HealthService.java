package org.mpcwallet.bank.health.app;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the parts bank-server needs: the database (a real {@code select 1}) and the signer. Blocking. */
@Singleton
public class HealthService {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    public enum Status { UP, DOWN }

    /** @param database UP or DOWN; @param signer "in-process" until bank-signer can run as its own process */
    public record Report(Status status, Status database, String signer) {
    }

    private final DataSource dataSource;

    public HealthService(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Report check() {
        Status db = databaseStatus();
        return new Report(db, db, "in-process");
    }

    private Status databaseStatus() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(3);
            try (ResultSet rs = s.executeQuery("select 1")) {
                return rs.next() && rs.getInt(1) == 1 ? Status.UP : Status.DOWN;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Health: database check failed: {}", e.toString());
            return Status.DOWN;
        }
    }
}
