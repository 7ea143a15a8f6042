package org.mpcwallet.signer.pg;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.signer.spi.LockRepository;
import org.mpcwallet.signer.spi.PersistenceException;

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
}
