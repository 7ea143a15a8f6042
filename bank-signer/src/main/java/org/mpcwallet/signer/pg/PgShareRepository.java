package org.mpcwallet.signer.pg;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.ShareRepository;
import org.mpcwallet.signer.spi.StoredShare;

/**
 * {@link ShareRepository} on PostgreSQL, table {@code keyset_share} (one row per keyset: its current epoch and the
 * sealed MPCS v1 blob). Each call is its own transaction, committed before it returns.
 */
public final class PgShareRepository implements ShareRepository {
    private final DataSource dataSource;

    public PgShareRepository(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource required");
        }
        this.dataSource = dataSource;
    }

    @Override
    public void save(String keysetId, int epoch, byte[] sealedBlob) {
        requireArgs(keysetId, sealedBlob);
        int inserted = Jdbc.inTransaction(dataSource, "saving a share", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into keyset_share (keyset_id, epoch, blob) values (?, ?, ?)"
                            + " on conflict (keyset_id) do nothing")) {
                ps.setString(1, keysetId);
                ps.setLong(2, Jdbc.epochToColumn(epoch));
                ps.setBytes(3, sealedBlob);
                return ps.executeUpdate();
            }
        });
        if (inserted != 1) {
            throw new PersistenceException.Conflict("keyset " + keysetId + " already has a share");
        }
    }

    @Override
    public StoredShare loadCurrent(String keysetId) {
        if (keysetId == null) {
            throw new IllegalArgumentException("keysetId required");
        }
        return Jdbc.inTransaction(dataSource, "loading a share", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select epoch, blob from keyset_share where keyset_id = ?")) {
                ps.setString(1, keysetId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new StoredShare(Jdbc.epochFromColumn(rs.getLong(1)), rs.getBytes(2)) : null;
                }
            }
        });
    }

    /** A compare-and-swap in one statement and transaction: the row changes only if its epoch is {@code fromEpoch}. */
    @Override
    public void replaceEpoch(String keysetId, int fromEpoch, int toEpoch, byte[] sealedBlob) {
        requireArgs(keysetId, sealedBlob);
        int updated = Jdbc.inTransaction(dataSource, "replacing a share epoch", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update keyset_share set epoch = ?, blob = ?, created_at = now()"
                            + " where keyset_id = ? and epoch = ?")) {
                ps.setLong(1, Jdbc.epochToColumn(toEpoch));
                ps.setBytes(2, sealedBlob);
                ps.setString(3, keysetId);
                ps.setLong(4, Jdbc.epochToColumn(fromEpoch));
                return ps.executeUpdate();
            }
        });
        if (updated != 1) {
            throw new PersistenceException.Conflict("keyset " + keysetId + " is not at epoch " + fromEpoch);
        }
    }

    private static void requireArgs(String keysetId, byte[] blob) {
        if (keysetId == null || blob == null || blob.length == 0) {
            throw new IllegalArgumentException("keysetId and a non-empty blob required");
        }
    }
}
