package org.mpcwallet.bank.integration.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Table {@code webhook_signing_keys} (V21): the public halves of the bank's webhook signing keys, the current one
 * and those it replaced, which stay published as retired. Plain JDBC on the caller's connection.
 */
public final class WebhookSigningKeyStore {
    private WebhookSigningKeyStore() {
    }

    public record SigningKey(String kid, byte[] publicKey, Instant createdAt, Instant retiredAt) {
    }

    /** Registers the current key (once) and retires every other; returns nothing. */
    public static void currentKey(Connection c, String kid, byte[] spki, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into webhook_signing_keys (kid, public_key, "
                + "created_at, retired_at) values (?, ?, ?, null) on conflict (kid) do update set retired_at = null")) {
            ps.setString(1, kid);
            ps.setBytes(2, spki);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update webhook_signing_keys set retired_at = ? "
                + "where kid <> ? and retired_at is null")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, kid);
            ps.executeUpdate();
        }
    }

    public static List<SigningKey> signingKeys(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select kid, public_key, created_at, retired_at "
                + "from webhook_signing_keys order by retired_at desc nulls first, created_at desc");
             ResultSet rs = ps.executeQuery()) {
            List<SigningKey> out = new ArrayList<>();
            while (rs.next()) {
                Timestamp retired = rs.getTimestamp(4);
                out.add(new SigningKey(rs.getString(1), rs.getBytes(2), rs.getTimestamp(3).toInstant(),
                        retired == null ? null : retired.toInstant()));
            }
            return out;
        }
    }
}
