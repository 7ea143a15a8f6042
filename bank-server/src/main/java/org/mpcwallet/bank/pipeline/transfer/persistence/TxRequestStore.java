package org.mpcwallet.bank.pipeline.transfer.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.crypto.eth.EthTransaction;

/** SQL for {@code tx_requests}; every method runs in the caller's transaction. */
public final class TxRequestStore {
    private static final String COLUMNS = "id, wallet_id, created_by, status, version, asset, token_address, "
            + "to_address, amount, note, kyt_verdict, kyt_case_id, policy_result, policy_rules, required_approvals, "
            + "chain_id, nonce, max_fee_per_gas, max_priority_fee_per_gas, gas_limit, sign_request_id, sign_failures, "
            + "raw_transaction, tx_hash, broadcast_attempts, next_attempt_at, last_error, block_number, confirmations, "
            + "created_at, updated_at";

    private TxRequestStore() {
    }

    public static void insert(Connection c, TxRequest r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into tx_requests (id, wallet_id, created_by, status, "
                + "version, asset, token_address, to_address, amount, note, created_at, updated_at, next_attempt_at, "
                + "status_since) values (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, r.id());
            ps.setObject(2, r.walletId());
            ps.setObject(3, r.createdBy());
            ps.setString(4, r.status().name());
            ps.setString(5, r.asset());
            ps.setString(6, r.tokenAddress());
            ps.setString(7, r.toAddress());
            ps.setBigDecimal(8, new BigDecimal(r.amount()));
            ps.setString(9, r.note());
            ps.setTimestamp(10, Timestamp.from(r.createdAt()));
            ps.setTimestamp(11, Timestamp.from(r.updatedAt()));
            ps.setTimestamp(12, Timestamp.from(r.createdAt()));
            ps.setTimestamp(13, Timestamp.from(r.createdAt()));
            ps.executeUpdate();
        }
    }

    public static Optional<TxRequest> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tx_requests where id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * One page of requests in creation order (docs/integration.md "Pagination"): of {@code walletIds} (null: all),
     * in {@code status} (null: any), created in [{@code from}, {@code to}) (either null: open), after {@code after};
     * at most {@code limit + 1} rows.
     */
    public static List<TxRequest> page(Connection c, Set<UUID> walletIds, TxStatus status, Instant from, Instant to,
                                       org.mpcwallet.bank.paging.Cursors.TimeKey after, int limit)
            throws SQLException {
        if (walletIds != null && walletIds.isEmpty()) {
            return new ArrayList<>();
        }
        org.mpcwallet.bank.db.Keyset q = new org.mpcwallet.bank.db.Keyset("");
        if (walletIds != null) {
            q.and("wallet_id = any (?)", c.createArrayOf("uuid", walletIds.toArray()));
        }
        if (status != null) {
            q.and("status = ?", status.name());
        }
        q.created(from, to);
        return q.page(c, "select " + COLUMNS + " from tx_requests", after, false, limit, TxRequestStore::read);
    }

    /**
     * Claims up to {@code limit} requests in {@code statuses} whose next attempt is due, row-locked with SKIP LOCKED so
     * concurrent workers (any instance) never claim the same request.
     */
    public static List<TxRequest> claim(Connection c, Set<TxStatus> statuses, int limit) throws SQLException {
        List<TxRequest> out = new ArrayList<>();
        String in = statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(","));
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tx_requests where status in (" + in
                + ") and next_attempt_at <= now() order by next_attempt_at, created_at limit ? for update skip locked")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** When the request entered its current status (V22). */
    public static Instant statusSince(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status_since from tx_requests where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no such tx request");
                }
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    /** Not due before {@code at} (a waiting status's own deadline). */
    public static void dueAt(Connection c, UUID id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update tx_requests set next_attempt_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    /** The columns of {@code tx_requests} a {@link Change} sets. */
    private enum Column {
        KYT_VERDICT("kyt_verdict"),
        KYT_CASE_ID("kyt_case_id"),
        POLICY_RESULT("policy_result"),
        POLICY_RULES("policy_rules"),
        REQUIRED_APPROVALS("required_approvals"),
        CHAIN_ID("chain_id"),
        NONCE("nonce"),
        TX_TYPE("tx_type"),
        MAX_FEE_PER_GAS("max_fee_per_gas"),
        MAX_PRIORITY_FEE_PER_GAS("max_priority_fee_per_gas"),
        GAS_PRICE("gas_price"),
        GAS_LIMIT("gas_limit"),
        SIGN_REQUEST_ID("sign_request_id"),
        SIGN_FAILURES("sign_failures"),
        RAW_TRANSACTION("raw_transaction"),
        TX_HASH("tx_hash"),
        BROADCAST_ATTEMPTS("broadcast_attempts"),
        LAST_ERROR("last_error"),
        BLOCK_NUMBER("block_number"),
        CONFIRMATIONS("confirmations");

        private final String sqlName;

        Column(String sqlName) {
            this.sqlName = sqlName;
        }
    }

    /**
     * A field change of one request, applied together with its status under the version check: one settable column
     * and a value of its type, made by the factory named after the column (a null value sets SQL null).
     */
    public static final class Change {
        private final Column column;
        private final Object value;

        private Change(Column column, Object value) {
            this.column = column;
            this.value = value;
        }

        public static Change kytVerdict(KytResult.Verdict verdict) {
            return new Change(Column.KYT_VERDICT, verdict.name());
        }

        /** The KYT case the screening opened, or null for none. */
        public static Change kytCaseId(UUID caseId) {
            return new Change(Column.KYT_CASE_ID, caseId);
        }

        public static Change policyResult(String result) {
            return new Change(Column.POLICY_RESULT, result);
        }

        public static Change policyRules(String rules) {
            return new Change(Column.POLICY_RULES, rules);
        }

        public static Change requiredApprovals(int n) {
            return new Change(Column.REQUIRED_APPROVALS, n);
        }

        public static Change chainId(BigInteger chainId) {
            return new Change(Column.CHAIN_ID, chainId);
        }

        public static Change nonce(BigInteger nonce) {
            return new Change(Column.NONCE, nonce);
        }

        public static Change txType(EthTransaction.Type type) {
            return new Change(Column.TX_TYPE, type.name());
        }

        /** Null for a legacy transaction. */
        public static Change maxFeePerGas(BigInteger wei) {
            return new Change(Column.MAX_FEE_PER_GAS, wei);
        }

        /** Null for a legacy transaction. */
        public static Change maxPriorityFeePerGas(BigInteger wei) {
            return new Change(Column.MAX_PRIORITY_FEE_PER_GAS, wei);
        }

        /** Null for an EIP-1559 transaction. */
        public static Change gasPrice(BigInteger wei) {
            return new Change(Column.GAS_PRICE, wei);
        }

        public static Change gasLimit(BigInteger gas) {
            return new Change(Column.GAS_LIMIT, gas);
        }

        /** The sign request of the transaction, or null when the request needs a new one. */
        public static Change signRequestId(UUID id) {
            return new Change(Column.SIGN_REQUEST_ID, id);
        }

        public static Change signFailures(int n) {
            return new Change(Column.SIGN_FAILURES, n);
        }

        public static Change rawTransaction(byte[] raw) {
            return new Change(Column.RAW_TRANSACTION, raw);
        }

        public static Change txHash(byte[] hash) {
            return new Change(Column.TX_HASH, hash);
        }

        public static Change broadcastAttempts(int n) {
            return new Change(Column.BROADCAST_ATTEMPTS, n);
        }

        /** Null clears the last error. */
        public static Change lastError(String error) {
            return new Change(Column.LAST_ERROR, error);
        }

        /** The including block, or null when the transaction left the chain. */
        public static Change blockNumber(Long block) {
            return new Change(Column.BLOCK_NUMBER, block);
        }

        public static Change confirmations(int n) {
            return new Change(Column.CONFIRMATIONS, n);
        }
    }

    /** What the permit of a transfer's sign request records: the transfer's state and the controls it passed. */
    public record ControlsSnapshot(UUID txRequestId, String status, UUID signRequestId, String kytVerdict,
                                   String policyResult, int requiredApprovals, long approvals) {
    }

    /**
     * The controls snapshot of the transfer the sign request belongs to (its row share-locked until the transaction
     * ends, so it cannot move while the permit is issued), or empty for a sign request of no transfer.
     */
    public static Optional<ControlsSnapshot> controlsOf(Connection c, UUID signRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select t.id, t.status, t.sign_request_id, t.kyt_verdict, "
                + "t.policy_result, t.required_approvals, (select count(*) from approvals a where a.tx_request_id = "
                + "t.id and a.decision = 'APPROVE') from tx_requests t join sign_requests s on s.tx_request_id = t.id "
                + "where s.id = ? for share of t")) {
            ps.setObject(1, signRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ControlsSnapshot(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7)));
            }
        }
    }

    /** Row-locks the request if it is due and no other transaction holds it ({@code for update skip locked}). */
    public static boolean lockIfDue(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from tx_requests where id = ? and "
                + "next_attempt_at <= now() for update skip locked")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A step of the request failed unexpectedly: the error is kept and the request waits {@code seconds}. */
    public static void stepFailed(Connection c, UUID id, String error, int seconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update tx_requests set last_error = ?, "
                + "next_attempt_at = now() + make_interval(secs => ?) where id = ?")) {
            ps.setString(1, error);
            ps.setInt(2, seconds);
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** A transfer waiting for this sign request is due now (its co-signing session ended). */
    public static void dueNow(Connection c, UUID signRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update tx_requests set next_attempt_at = now() "
                + "where sign_request_id = ? and status = 'SIGN_PENDING' and next_attempt_at > now()")) {
            ps.setObject(1, signRequestId);
            ps.executeUpdate();
        }
    }

    /**
     * Moves {@code r} to {@code to} (optimistic lock on its version) and sets {@code changes}. Returns false if the row
     * changed since it was read (the caller's step is void).
     */
    public static boolean update(Connection c, TxRequest r, TxStatus to, Instant nextAttemptAt, Change... changes)
            throws SQLException {
        // status_since moves only when the status does (the right side reads the row as it was)
        StringBuilder sql = new StringBuilder("update tx_requests set status = ?, version = version + 1, "
                + "updated_at = now(), next_attempt_at = ?, status_since = case when status = ? then status_since "
                + "else now() end");
        for (Change ch : changes) {
            sql.append(", ").append(ch.column.sqlName).append(" = ?");
        }
        sql.append(" where id = ? and version = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, to.name());
            ps.setTimestamp(i++, Timestamp.from(nextAttemptAt));
            ps.setString(i++, to.name());
            for (Change ch : changes) {
                if (ch.value instanceof BigInteger b) {
                    ps.setBigDecimal(i++, new BigDecimal(b));
                } else {
                    ps.setObject(i++, ch.value);
                }
            }
            ps.setObject(i++, r.id());
            ps.setLong(i, r.version());
            return ps.executeUpdate() == 1;
        }
    }

    /** A request from a row that has the columns of {@code tx_requests} by name (a join's {@code t.*}). */
    public static TxRequest fromRow(ResultSet rs) throws SQLException {
        return read(rs);
    }

    private static TxRequest read(ResultSet rs) throws SQLException {
        long block = rs.getLong("block_number");
        Long blockNumber = rs.wasNull() ? null : block;
        return new TxRequest(rs.getObject("id", UUID.class), rs.getObject("wallet_id", UUID.class),
                rs.getObject("created_by", UUID.class), TxStatus.valueOf(rs.getString("status")), rs.getLong("version"),
                rs.getString("asset"), rs.getString("token_address"), rs.getString("to_address"),
                big(rs, "amount"), rs.getString("note"), rs.getString("kyt_verdict"),
                rs.getObject("kyt_case_id", UUID.class), rs.getString("policy_result"), rs.getString("policy_rules"),
                rs.getInt("required_approvals"), big(rs, "chain_id"), big(rs, "nonce"), big(rs, "max_fee_per_gas"),
                big(rs, "max_priority_fee_per_gas"), big(rs, "gas_limit"),
                rs.getObject("sign_request_id", UUID.class), rs.getInt("sign_failures"),
                rs.getBytes("raw_transaction"), rs.getBytes("tx_hash"), rs.getInt("broadcast_attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(), rs.getString("last_error"), blockNumber,
                rs.getInt("confirmations"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static BigInteger big(ResultSet rs, String column) throws SQLException {
        BigDecimal d = rs.getBigDecimal(column);
        return d == null ? null : d.toBigIntegerExact();
    }
}
