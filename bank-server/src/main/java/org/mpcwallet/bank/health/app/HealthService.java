package org.mpcwallet.bank.health.app;

import jakarta.inject.Singleton;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.mpcwallet.bank.mpc.app.SignerConfig;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the parts bank-server needs: the database (a real {@code select 1}) and the signer. Blocking. */
@Singleton
public class HealthService {
    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    public enum Status { UP, DOWN }

    /**
     * @param status     UP when the database and the signer are UP
     * @param database   UP or DOWN
     * @param signer     UP or DOWN (a remote signer that does not answer over mutual TLS is DOWN)
     * @param signerMode "in-process" or "remote"
     */
    public record Report(Status status, Status database, Status signer, String signerMode) {
    }

    private final DataSource dataSource;
    private final SignerGateway signer;
    private final boolean remote;

    public HealthService(DataSource dataSource, SignerGateway signer, SignerConfig config) {
        this.dataSource = dataSource;
        this.signer = signer;
        this.remote = config.remote();
    }

    public Report check() {
        Status db = databaseStatus();
        Status sg = signerStatus();
        return new Report(db == Status.UP && sg == Status.UP ? Status.UP : Status.DOWN, db, sg,
                remote ? "remote" : "in-process");
    }

    private Status signerStatus() {
        try {
            return signer.healthy() ? Status.UP : Status.DOWN;
        } catch (RuntimeException e) {
            LOG.warn("Health: signer check failed: {}", e.getClass().getSimpleName());
            return Status.DOWN;
        }
    }

    private Status databaseStatus() {
        try {
            return org.mpcwallet.bank.db.Database.answers(dataSource, 3) ? Status.UP : Status.DOWN;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Health: database check failed: {}", e.toString());
            return Status.DOWN;
        }
    }
}
