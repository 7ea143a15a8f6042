package org.mpcwallet.signer.pg;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.signer.spi.LockRepository;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.SweepAuthorization;

/**
 * {@link LockRepository} on PostgreSQL: table {@code keyset_lock} (one row per locked keyset holding its first
 * KEY_COMPROMISE_RISK cause; never deleted) and {@code signer_decryption} (migration V11, the decryption markers).
 * Each call is its own transaction, committed before it returns.
 */
public final class PgLockRepository implements LockRepository {
    private final DataSource dataSource;

    public PgLockRepository(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource required");
        }
        this.dataSource = dataSource;
    }

    /** Locks the keyset; an existing lock keeps its first cause ({@code on conflict do nothing}). */
    @Override
    public void lock(String keysetId, ProtocolFailure cause) {
        if (keysetId == null) {
            throw new IllegalArgumentException("keysetId required");
        }
        if (cause == null || !cause.locksKey()) {
            throw new IllegalArgumentException("only a KEY_COMPROMISE_RISK failure locks a key");
        }
        Jdbc.inTransaction(dataSource, "storing a key lock", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into keyset_lock (keyset_id, kind, step, culprit, reason) values (?, ?, ?, ?, ?)"
                            + " on conflict (keyset_id) do nothing")) {
                ps.setString(1, keysetId);
                ps.setString(2, cause.kind().name());
                ps.setString(3, cause.step());
                ps.setString(4, cause.culprit() == null ? null : cause.culprit().name());
                ps.setString(5, cause.reason());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public ProtocolFailure current(String keysetId) {
        if (keysetId == null) {
            throw new IllegalArgumentException("keysetId required");
        }
        return Jdbc.inTransaction(dataSource, "reading a key lock", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select kind, step, culprit, reason from keyset_lock where keyset_id = ?")) {
                ps.setString(1, keysetId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    try {
                        String culprit = rs.getString(3);
                        return new ProtocolFailure(FailureKind.valueOf(rs.getString(1)), rs.getString(2),
                                culprit == null ? null : Party.valueOf(culprit), rs.getString(4));
                    } catch (IllegalArgumentException e) {
                        throw new PersistenceException("stored key lock of keyset " + keysetId + " is malformed");
                    }
                }
            }
        });
    }

    @Override
    public void beginDecryption(String keysetId, String sessionId) {
        Jdbc.inTransaction(dataSource, "storing a decryption marker", c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into signer_decryption (keyset_id, session_id)"
                    + " values (?, ?) on conflict (keyset_id, session_id) do nothing")) {
                ps.setString(1, keysetId);
                ps.setString(2, sessionId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void endDecryption(String keysetId, String sessionId) {
        Jdbc.inTransaction(dataSource, "removing a decryption marker", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from signer_decryption where keyset_id = ? and session_id = ?")) {
                ps.setString(1, keysetId);
                ps.setString(2, sessionId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean interrupted(String keysetId, int olderThanSeconds) {
        return Jdbc.inTransaction(dataSource, "reading decryption markers", c -> {
            try (PreparedStatement ps = c.prepareStatement("select 1 from signer_decryption where keyset_id = ?"
                    + " and started_at < now() - make_interval(secs => ?) limit 1")) {
                ps.setString(1, keysetId);
                ps.setInt(2, olderThanSeconds);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public SweepAuthorization authorizeSweep(String keysetId, String to, int signatures) {
        if (keysetId == null || to == null || signatures < 1) {
            throw new IllegalArgumentException("keysetId, target and at least one signature required");
        }
        SweepAuthorization a = Jdbc.inTransaction(dataSource, "authorizing a sweep", c -> {
            try (PreparedStatement ps = c.prepareStatement("update keyset_lock set sweep_to = ?, sweeps_left = "
                    + "sweeps_left + ? where keyset_id = ? and retired_at is null and (sweep_to is null or sweep_to "
                    + "= ?) returning sweep_to, sweeps_left, retired_at is not null")) {
                ps.setString(1, to);
                ps.setInt(2, signatures);
                ps.setString(3, keysetId);
                ps.setString(4, to);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new SweepAuthorization(rs.getString(1), rs.getInt(2), rs.getBoolean(3)) : null;
                }
            }
        });
        if (a == null) {
            throw new PersistenceException.Conflict("keyset " + keysetId + " is not locked, is retired or has "
                    + "another sweep target");
        }
        return a;
    }

    @Override
    public SweepAuthorization sweep(String keysetId) {
        return Jdbc.inTransaction(dataSource, "reading a sweep authorization", c -> {
            try (PreparedStatement ps = c.prepareStatement("select sweep_to, sweeps_left, retired_at is not null "
                    + "from keyset_lock where keyset_id = ? and sweep_to is not null")) {
                ps.setString(1, keysetId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new SweepAuthorization(rs.getString(1), rs.getInt(2), rs.getBoolean(3)) : null;
                }
            }
        });
    }

    @Override
    public boolean takeSweep(String keysetId) {
        return Jdbc.inTransaction(dataSource, "taking a sweep signature", c -> {
            try (PreparedStatement ps = c.prepareStatement("update keyset_lock set sweeps_left = sweeps_left - 1, "
                    + "retired_at = case when sweeps_left = 1 then now() else retired_at end where keyset_id = ? "
                    + "and sweeps_left > 0 and retired_at is null")) {
                ps.setString(1, keysetId);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
