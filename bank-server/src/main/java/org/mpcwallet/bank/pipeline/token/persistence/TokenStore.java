package org.mpcwallet.bank.pipeline.token.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** SQL for the {@code tokens} registry (ERC-20 contracts per chain); every method runs in the caller's transaction. */
public final class TokenStore {
    private TokenStore() {
    }

    /**
     * A registered token.
     *
     * @param chainId   the chain
     * @param symbol    1-16 of {@code A-Z 0-9}, never {@code ETH}
     * @param address   the contract, lower-case 0x-hex
     * @param decimals  0-36
     * @param createdAt when it was registered
     */
    public record Token(long chainId, String symbol, String address, int decimals, Instant createdAt) {
    }

    /** The tokens of one chain, by symbol. */
    public static List<Token> all(Connection c, long chainId) throws SQLException {
        List<Token> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select symbol, address, decimals, created_at from tokens "
                + "where chain_id = ? order by symbol")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Token(chainId, rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT), rs.getInt(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /** The contract of {@code symbol} on the chain (lower case), or empty when the symbol is not registered there. */
    public static Optional<String> address(Connection c, long chainId, String symbol) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select address from tokens where chain_id = ? and symbol = ?")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setString(2, symbol);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).toLowerCase(Locale.ROOT)) : Optional.empty();
            }
        }
    }

    /** Registers a token; false (nothing written) when the symbol or the address is already registered on the chain. */
    public static boolean insert(Connection c, long chainId, String symbol, String address, int decimals, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into tokens (chain_id, symbol, address, decimals, "
                + "created_at) values (?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setString(2, symbol);
            ps.setString(3, address.toLowerCase(Locale.ROOT));
            ps.setInt(4, decimals);
            ps.setTimestamp(5, java.sql.Timestamp.from(at));
            return ps.executeUpdate() == 1;
        }
    }
}
