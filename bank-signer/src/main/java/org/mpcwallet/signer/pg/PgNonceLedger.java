package org.mpcwallet.signer.pg;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.mpcwallet.signer.permit.NonceLedger;
import org.mpcwallet.signer.permit.SigningPermit;

/**
 * {@link NonceLedger} on PostgreSQL, table {@code permit_nonce} (nonce primary key). {@link #consume} is
 * {@code INSERT ... ON CONFLICT DO NOTHING}, committed before it returns: true only for the one caller whose row was
 * inserted, also when several consume one nonce at once (the others wait on the key and then do nothing).
 */
public final class PgNonceLedger implements NonceLedger {
    /** How long past its permit's expiry a nonce is kept (as the in-memory ledger: covers clock skew). */
    public static final long RETENTION_AFTER_EXPIRY_MILLIS = 60_000;

    private final DataSource dataSource;

    public PgNonceLedger(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource required");
        }
        this.dataSource = dataSource;
    }

    @Override
    public boolean consume(byte[] nonce, long expiresAt) {
        if (nonce == null || nonce.length != SigningPermit.NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be 16 bytes");
        }
        OffsetDateTime expires = OffsetDateTime.ofInstant(Instant.ofEpochMilli(expiresAt), ZoneOffset.UTC);
        int inserted = Jdbc.inTransaction(dataSource, "consuming a permit nonce", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into permit_nonce (nonce, expires_at) values (?, ?) on conflict (nonce) do nothing")) {
                ps.setBytes(1, nonce);
                ps.setObject(2, expires);
                return ps.executeUpdate();
            }
        });
        return inserted == 1;
    }

    /**
     * Forgets nonces whose permit expired more than {@link #RETENTION_AFTER_EXPIRY_MILLIS} before {@code nowMillis}
     * (the verifier refuses such permits as expired anyway). Returns how many were removed.
     */
    public int prune(long nowMillis) {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(
                Instant.ofEpochMilli(nowMillis - RETENTION_AFTER_EXPIRY_MILLIS), ZoneOffset.UTC);
        return Jdbc.inTransaction(dataSource, "pruning permit nonces", c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from permit_nonce where expires_at < ?")) {
                ps.setObject(1, cutoff);
                return ps.executeUpdate();
            }
        });
    }
}
