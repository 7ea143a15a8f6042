package org.mpcwallet.bank.pipeline.deposit.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for the chain listener: {@code deposits}, {@code chain_cursor} and {@code chain_blocks}. Every method runs in
 * the caller's transaction. Hashes are 0x-hex lower-case outside, {@code bytea} inside.
 */
public final class DepositStore {
    private static final HexFormat HEX = HexFormat.of();
    private static final String COLUMNS = "id, wallet_id, chain_id, tx_hash, log_index, asset, token_address, "
            + "from_address, amount, block_number, block_hash, kyt_verdict, kyt_case_id, status, created_at";

    private DepositStore() {
    }

    /** A deposit row. {@code logIndex} is -1 for ETH (a transaction's value), else the ERC-20 log's index. */
    public record Deposit(UUID id, UUID walletId, long chainId, String txHash, int logIndex, String asset,
                          String tokenAddress, String from, BigInteger amount, long blockNumber, String blockHash,
                          String kytVerdict, UUID kytCaseId, String status, Instant createdAt) {
    }

    /** The listener's position: the last processed block and its hash (null for a cursor written before V8). */
    public record Cursor(long lastBlock, String lastHash) {
    }

    /**
     * Takes the chain's scan lock for the rest of the transaction ({@code pg_try_advisory_xact_lock(lockClass,
     * chain)}); false when another transaction holds it.
     */
    public static boolean tryScanLock(Connection c, int lockClass, long chainId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?, ?)")) {
            ps.setInt(1, lockClass);
            ps.setInt(2, (int) (chainId ^ (chainId >>> 32)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** A block hash the listener saw. */
    public record SeenBlock(long number, String hash) {
    }

    /** What {@link #record} did. */
    public enum Recorded {
        /** A new deposit. */
        INSERTED,
        /** A deposit reorged out earlier is back in the canonical chain (status DETECTED again, new block). */
        REVIVED,
        /** Already known: nothing written. */
        KNOWN
    }

    // ---------------------------------------------------------------- cursor

    /** The cursor of {@code chainId}, row-locked. */
    public static Optional<Cursor> cursor(Connection c, long chainId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_block, last_block_hash from chain_cursor "
                + "where chain_id = ? for update")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Cursor(rs.getLong(1), hex(rs.getBytes(2))));
            }
        }
    }

    public static void saveCursor(Connection c, long chainId, long lastBlock, String lastHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into chain_cursor (chain_id, last_block, "
                + "last_block_hash, updated_at) values (?, ?, ?, now()) on conflict (chain_id) do update set "
                + "last_block = excluded.last_block, last_block_hash = excluded.last_block_hash, updated_at = now()")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setLong(2, lastBlock);
            ps.setBytes(3, bytes(lastHash));
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- block hashes

    public static void rememberBlock(Connection c, long chainId, long number, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into chain_blocks (chain_id, number, hash) values "
                + "(?, ?, ?) on conflict (chain_id, number) do update set hash = excluded.hash")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setLong(2, number);
            ps.setBytes(3, bytes(hash));
            ps.executeUpdate();
        }
    }

    /** Remembered blocks at or below {@code number}, newest first. */
    public static List<SeenBlock> blocksAtOrBelow(Connection c, long chainId, long number, int limit)
            throws SQLException {
        List<SeenBlock> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select number, hash from chain_blocks where chain_id = ? and "
                + "number <= ? order by number desc limit ?")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setLong(2, number);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeenBlock(rs.getLong(1), hex(rs.getBytes(2))));
                }
            }
        }
        return out;
    }

    /** Forgets blocks above {@code number} (they left the canonical chain) and those below {@code keepFrom}. */
    public static void forgetBlocks(Connection c, long chainId, long above, long keepFrom) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from chain_blocks where chain_id = ? and "
                + "(number > ? or number < ?)")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setLong(2, above);
            ps.setLong(3, keepFrom);
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- deposits

    /**
     * Records a transfer to a wallet: a new row (status DETECTED, not yet screened), or the row reorged out earlier
     * back at its new block; an already known deposit is left as it is. The id is the row's either way.
     */
    public static Recorded record(Connection c, Deposit d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from deposits where chain_id = ? and "
                + "tx_hash = ? and log_index = ? for update")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(d.chainId()));
            ps.setBytes(2, bytes(d.txHash()));
            ps.setInt(3, d.logIndex());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getString(1).equals("REORGED")) {
                        return Recorded.KNOWN;
                    }
                    try (PreparedStatement up = c.prepareStatement("update deposits set status = 'DETECTED', "
                            + "block_number = ?, block_hash = ?, updated_at = now() where chain_id = ? and "
                            + "tx_hash = ? and log_index = ?")) {
                        up.setLong(1, d.blockNumber());
                        up.setBytes(2, bytes(d.blockHash()));
                        up.setBigDecimal(3, BigDecimal.valueOf(d.chainId()));
                        up.setBytes(4, bytes(d.txHash()));
                        up.setInt(5, d.logIndex());
                        up.executeUpdate();
                    }
                    return Recorded.REVIVED;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into deposits (" + COLUMNS + ", updated_at) values "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, null, 'DETECTED', ?, ?) "
                + "on conflict (chain_id, tx_hash, log_index) do nothing")) {
            ps.setObject(1, d.id());
            ps.setObject(2, d.walletId());
            ps.setBigDecimal(3, BigDecimal.valueOf(d.chainId()));
            ps.setBytes(4, bytes(d.txHash()));
            ps.setInt(5, d.logIndex());
            ps.setString(6, d.asset());
            ps.setString(7, d.tokenAddress());
            ps.setString(8, d.from());
            ps.setBigDecimal(9, new BigDecimal(d.amount()));
            ps.setLong(10, d.blockNumber());
            ps.setBytes(11, bytes(d.blockHash()));
            ps.setTimestamp(12, Timestamp.from(d.createdAt()));
            ps.setTimestamp(13, Timestamp.from(d.createdAt()));
            return ps.executeUpdate() == 1 ? Recorded.INSERTED : Recorded.KNOWN;
        }
    }

    /** The deposit {@code (chainId, txHash, logIndex)}. */
    public static Optional<Deposit> find(Connection c, long chainId, String txHash, int logIndex) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from deposits where chain_id = ? and "
                + "tx_hash = ? and log_index = ?")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setBytes(2, bytes(txHash));
            ps.setInt(3, logIndex);
            List<Deposit> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }
    }

    public static void setKyt(Connection c, UUID id, String verdict, UUID caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update deposits set kyt_verdict = ?, kyt_case_id = ?, "
                + "updated_at = now() where id = ?")) {
            ps.setString(1, verdict);
            ps.setObject(2, caseId);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** Moves a deposit from {@code from} to {@code to}; false if it was no longer in {@code from}. */
    public static boolean setStatus(Connection c, UUID id, String from, String to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update deposits set status = ?, updated_at = now() "
                + "where id = ? and status = ?")) {
            ps.setString(1, to);
            ps.setObject(2, id);
            ps.setString(3, from);
            return ps.executeUpdate() == 1;
        }
    }

    /** DETECTED deposits of the chain in blocks at or below {@code maxBlock}, row-locked. */
    public static List<Deposit> detectedUpTo(Connection c, long chainId, long maxBlock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from deposits where chain_id = ? and "
                + "status = 'DETECTED' and block_number <= ? order by block_number, id for update")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setLong(2, maxBlock);
            return read(ps);
        }
    }

    /** DETECTED or CONFIRMED deposits of the chain in blocks above {@code block}, row-locked. */
    public static List<Deposit> liveAbove(Connection c, long chainId, long block) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from deposits where chain_id = ? and "
                + "status in ('DETECTED', 'CONFIRMED') and block_number > ? order by block_number, id for update")) {
            ps.setBigDecimal(1, BigDecimal.valueOf(chainId));
            ps.setLong(2, block);
            return read(ps);
        }
    }

    /** A page of a wallet's deposits, newest first, in {@code status} (null: any); limit + 1 rows. */
    public static List<Deposit> page(Connection c, UUID walletId, String status, Instant from, Instant to,
                                     org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit) throws SQLException {
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("").and("wallet_id = ?", walletId);
        if (status != null) {
            q.and("status = ?", status);
        }
        q.created(from, to);
        return q.page(c, "select " + COLUMNS + " from deposits", after, true, limit, DepositStore::row);
    }

    private static List<Deposit> read(PreparedStatement ps) throws SQLException {
        List<Deposit> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    private static Deposit row(ResultSet rs) throws SQLException {
        return new Deposit(rs.getObject("id", UUID.class), rs.getObject("wallet_id", UUID.class),
                rs.getBigDecimal("chain_id").longValueExact(), hex(rs.getBytes("tx_hash")),
                rs.getInt("log_index"), rs.getString("asset"), rs.getString("token_address"),
                rs.getString("from_address"), rs.getBigDecimal("amount").toBigIntegerExact(),
                rs.getLong("block_number"), hex(rs.getBytes("block_hash")), rs.getString("kyt_verdict"),
                rs.getObject("kyt_case_id", UUID.class), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static String hex(byte[] b) {
        return b == null ? null : "0x" + HEX.formatHex(b);
    }

    private static byte[] bytes(String hex) {
        return hex == null ? null : HEX.parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
    }
}
