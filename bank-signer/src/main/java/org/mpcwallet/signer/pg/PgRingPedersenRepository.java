package org.mpcwallet.signer.pg;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.mpcwallet.signer.spi.RingPedersenRepository;

/** {@link RingPedersenRepository} on PostgreSQL, table {@code signer_ring_pedersen} (one row, id = 1). */
public final class PgRingPedersenRepository implements RingPedersenRepository {
    private final DataSource dataSource;

    public PgRingPedersenRepository(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource required");
        }
        this.dataSource = dataSource;
    }

    @Override
    public byte[] load() {
        return Jdbc.inTransaction(dataSource, "reading the signer's ring-Pedersen parameters", c -> {
            try (PreparedStatement ps = c.prepareStatement("select params from signer_ring_pedersen where id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    @Override
    public byte[] saveIfAbsent(byte[] encoded, byte[] fingerprint) {
        Jdbc.inTransaction(dataSource, "storing the signer's ring-Pedersen parameters", c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into signer_ring_pedersen (id, params, fingerprint)"
                    + " values (1, ?, ?) on conflict (id) do nothing")) {
                ps.setBytes(1, encoded);
                ps.setBytes(2, fingerprint);
                return ps.executeUpdate();
            }
        });
        return load();
    }
}
