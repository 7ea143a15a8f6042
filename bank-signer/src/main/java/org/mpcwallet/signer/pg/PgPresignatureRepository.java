package org.mpcwallet.signer.pg;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.mpcwallet.signer.spi.LedgerMark;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.PresignatureRepository;

/**
 * {@link PresignatureRepository} on PostgreSQL, table {@code presignature} (sealed MPCP v1 blobs keyed by keyset
 * and presignature id). {@link #take} is {@code DELETE ... RETURNING} committed before the blob is returned: a crash
 * afterwards leaves the presignature consumed, and of two concurrent takes the second waits on the row lock and then
 * finds it gone.
 */
public final class PgPresignatureRepository implements PresignatureRepository {
    private final DataSource dataSource;

    public PgPresignatureRepository(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource required");
        }
        this.dataSource = dataSource;
    }

    @Override
    public void store(String keysetId, String presignatureId, int epoch, byte[] sealedBlob) {
        requireIds(keysetId, presignatureId);
        if (sealedBlob == null || sealedBlob.length == 0) {
            throw new IllegalArgumentException("a non-empty blob required");
        }
        int inserted = Jdbc.inTransaction(dataSource, "storing a presignature", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into presignature (keyset_id, presig_id, epoch, blob, restore_epoch) select ?, ?, ?, ?, "
                            + "restore_epoch from signer_presign_ledger on conflict (keyset_id, presig_id) do nothing")) {
                ps.setString(1, keysetId);
                ps.setString(2, presignatureId);
                ps.setLong(3, Jdbc.epochToColumn(epoch));
                ps.setBytes(4, sealedBlob);
                return ps.executeUpdate();
            }
        });
        if (inserted != 1) {
            throw new PersistenceException.Conflict("presignature " + presignatureId + " already stored");
        }
    }

    @Override
    public Taken take(String keysetId, String presignatureId, LedgerMark highWater) {
        requireIds(keysetId, presignatureId);
        return Jdbc.inTransaction(dataSource, "taking a presignature", c -> {
            LedgerMark stored;
            try (PreparedStatement ps = c.prepareStatement(
                    "select restore_epoch, taken from signer_presign_ledger for update");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PersistenceException("the presignature ledger row is missing (signer migration V5)");
                }
                stored = new LedgerMark(rs.getLong(1), rs.getLong(2));
            }
            if (highWater != null && highWater.ahead(stored)) {
                // a restored backup: anything stored may have been used since; drop it all, move past both marks
                LedgerMark next = new LedgerMark(Math.max(stored.restoreEpoch(), highWater.restoreEpoch()) + 1,
                        highWater.taken());
                try (PreparedStatement ps = c.prepareStatement("delete from presignature")) {
                    ps.executeUpdate();
                }
                setMark(c, next);
                return new Taken(null, next, true);
            }
            byte[] blob;
            try (PreparedStatement ps = c.prepareStatement("delete from presignature where keyset_id = ? and "
                    + "presig_id = ? and restore_epoch = ? returning blob")) {
                ps.setString(1, keysetId);
                ps.setString(2, presignatureId);
                ps.setLong(3, stored.restoreEpoch());
                try (ResultSet rs = ps.executeQuery()) {
                    blob = rs.next() ? rs.getBytes(1) : null;
                }
            }
            if (blob == null) {
                return new Taken(null, stored, false);
            }
            LedgerMark next = new LedgerMark(stored.restoreEpoch(), stored.taken() + 1);
            setMark(c, next);
            return new Taken(blob, next, false);
        }); // committed by inTransaction before the blob is handed out
    }

    @Override
    public LedgerMark restored() {
        return Jdbc.inTransaction(dataSource, "bumping the restore epoch", c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from presignature")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update signer_presign_ledger set restore_epoch = "
                    + "restore_epoch + 1 returning restore_epoch, taken"); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PersistenceException("the presignature ledger row is missing (signer migration V5)");
                }
                return new LedgerMark(rs.getLong(1), rs.getLong(2));
            }
        });
    }

    private static void setMark(java.sql.Connection c, LedgerMark m) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update signer_presign_ledger set restore_epoch = ?, taken = ?")) {
            ps.setLong(1, m.restoreEpoch());
            ps.setLong(2, m.taken());
            ps.executeUpdate();
        }
    }

    @Override
    public void dropBefore(String keysetId, int epoch) {
        if (keysetId == null) {
            throw new IllegalArgumentException("keysetId required");
        }
        Jdbc.inTransaction(dataSource, "dropping presignatures", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from presignature where keyset_id = ? and epoch < ?")) {
                ps.setString(1, keysetId);
                ps.setLong(2, Jdbc.epochToColumn(epoch));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int keepNewest(String keysetId, int max) {
        if (keysetId == null || max < 0) {
            throw new IllegalArgumentException("keysetId and a non-negative max required");
        }
        return Jdbc.inTransaction(dataSource, "trimming the presignature pool", c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from presignature where keyset_id = ? and "
                    + "presig_id in (select presig_id from presignature where keyset_id = ? "
                    + "order by created_at desc, presig_id desc offset ?)")) {
                ps.setString(1, keysetId);
                ps.setString(2, keysetId);
                ps.setInt(3, max);
                return ps.executeUpdate();
            }
        });
    }

    /** The stored ids of the keyset, oldest first. */
    @Override
    public List<String> ids(String keysetId) {
        if (keysetId == null) {
            throw new IllegalArgumentException("keysetId required");
        }
        return Jdbc.inTransaction(dataSource, "listing presignatures", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select presig_id from presignature where keyset_id = ? order by created_at, presig_id")) {
                ps.setString(1, keysetId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                }
            }
        });
    }

    private static void requireIds(String keysetId, String presignatureId) {
        if (keysetId == null || presignatureId == null) {
            throw new IllegalArgumentException("keysetId and presignatureId required");
        }
    }
}
