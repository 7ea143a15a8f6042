package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.db.StoreException;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.crypto.eth.EthTransaction;

/**
 * Table {@code tx_requests} on Micronaut Data JDBC (rows {@link TxRequestRow}, handed out as the domain
 * {@link TxRequest}), in the caller's Micronaut transaction. The locking reads ({@link #find} for update,
 * {@link #claim}, {@link #lockIfDue}, {@link #controlsOf}) refuse to run outside a transaction. Statements whose SQL is
 * built at run time run as written on the injected {@link JdbcOperations}, which uses the current transaction's
 * connection: the page (filters and keyset), the claim (its statuses) and the versioned {@link #update} (its
 * {@link Change}s).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class TxRequestRepository implements GenericRepository<TxRequestRow, UUID> {
    private static final String COLUMNS = TxRequestRow.COLUMNS;

    @Inject
    JdbcOperations jdbc;

    /** A new request: version 0, due and in its status since its creation; the later steps' columns at defaults. */
    public void insert(TxRequest r) {
        insertRow(r.id(), r.walletId(), r.createdBy(), r.status().name(), r.asset(), r.tokenAddress(), r.toAddress(),
                new BigDecimal(r.amount()), r.note(), r.createdAt(), r.updatedAt());
    }

    @Query("insert into tx_requests (id, wallet_id, created_by, status, version, asset, token_address, to_address, "
            + "amount, note, created_at, updated_at, next_attempt_at, status_since) values (:id, :walletId, "
            + ":createdBy, :status, 0, :asset, :tokenAddress, :toAddress, :amount, :note, :createdAt, :updatedAt, "
            + ":createdAt, :createdAt)")
    protected abstract void insertRow(UUID id, UUID walletId, UUID createdBy, String status, String asset,
                                      @Nullable String tokenAddress, String toAddress, BigDecimal amount,
                                      @Nullable String note, Instant createdAt, Instant updatedAt);

    /** The request (row-locked when {@code forUpdate}: then only inside a transaction), if it exists. */
    public Optional<TxRequest> find(UUID id, boolean forUpdate) {
        return (forUpdate ? lockRow(id) : row(id)).map(TxRequestRow::toTxRequest);
    }

    @Query("select " + COLUMNS + " from tx_requests where id = :id")
    protected abstract Optional<TxRequestRow> row(UUID id);

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select " + COLUMNS + " from tx_requests where id = :id for update")
    protected abstract Optional<TxRequestRow> lockRow(UUID id);

    /**
     * One page of requests in creation order (docs/integration.md "Pagination"): of {@code walletIds} (null: all),
     * in {@code status} (null: any), created in [{@code from}, {@code to}) (either null: open), after {@code after};
     * at most {@code limit + 1} rows.
     */
    public List<TxRequest> page(@Nullable Set<UUID> walletIds, @Nullable TxStatus status, @Nullable Instant from,
                                @Nullable Instant to, @Nullable Cursors.TimeKey after, int limit) {
        if (walletIds != null && walletIds.isEmpty()) {
            return new ArrayList<>();
        }
        return jdbc.execute(c -> {
            Keyset q = new Keyset("");
            if (walletIds != null) {
                q.and("wallet_id = any (?)", c.createArrayOf("uuid", walletIds.toArray()));
            }
            if (status != null) {
                q.and("status = ?", status.name());
            }
            q.created(from, to);
            return q.page(c, "select " + COLUMNS + " from tx_requests", after, false, limit, this::read);
        });
    }

    /**
     * Claims up to {@code limit} requests in {@code statuses} whose next attempt is due, row-locked with SKIP LOCKED so
     * concurrent workers (any instance) never claim the same request.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public List<TxRequest> claim(Set<TxStatus> statuses, int limit) {
        String in = statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(","));
        return jdbc.prepareStatement("select " + COLUMNS + " from tx_requests where status in (" + in
                + ") and next_attempt_at <= now() order by next_attempt_at, created_at limit ? for update skip locked",
                ps -> {
                    ps.setInt(1, limit);
                    List<TxRequest> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(read(rs));
                        }
                    }
                    return out;
                });
    }

    /** When the request entered its current status (V22). */
    public Instant statusSince(UUID id) {
        return statusSinceRow(id).orElseThrow(() -> new StoreException(new SQLException("no such tx request")));
    }

    @Query("select status_since from tx_requests where id = :id")
    protected abstract Optional<Instant> statusSinceRow(UUID id);

    /** Not due before {@code at} (a waiting status's own deadline). */
    @Query("update tx_requests set next_attempt_at = :at where id = :id")
    public abstract void dueAt(UUID id, Instant at);

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
    @Introspected
    public record ControlsSnapshot(UUID txRequestId, String status, @Nullable UUID signRequestId,
                                   @Nullable String kytVerdict, @Nullable String policyResult, int requiredApprovals,
                                   long approvals) {
    }

    /**
     * The controls snapshot of the transfer the sign request belongs to (its row share-locked until the transaction
     * ends, so it cannot move while the permit is issued), or empty for a sign request of no transfer. Only inside a
     * transaction.
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select t.id as tx_request_id, t.status, t.sign_request_id, t.kyt_verdict, t.policy_result, "
            + "t.required_approvals, (select count(*) from approvals a where a.tx_request_id = t.id and "
            + "a.decision = 'APPROVE') as approvals from tx_requests t join sign_requests s on s.tx_request_id = t.id "
            + "where s.id = :signRequestId for share of t")
    public abstract Optional<ControlsSnapshot> controlsOf(UUID signRequestId);

    /**
     * Row-locks the request if it is due and no other transaction holds it ({@code for update skip locked}); only
     * inside a transaction.
     */
    public boolean lockIfDue(UUID id) {
        return lockDue(id).isPresent();
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select id from tx_requests where id = :id and next_attempt_at <= now() for update skip locked")
    protected abstract Optional<UUID> lockDue(UUID id);

    /** A step of the request failed unexpectedly: the error is kept and the request waits {@code seconds}. */
    @Query("update tx_requests set last_error = :error, next_attempt_at = now() + make_interval(secs => :seconds) "
            + "where id = :id")
    public abstract void stepFailed(UUID id, @Nullable String error, int seconds);

    /** A transfer waiting for this sign request is due now (its co-signing session ended). */
    @Query("update tx_requests set next_attempt_at = now() where sign_request_id = :signRequestId and status = "
            + "'SIGN_PENDING' and next_attempt_at > now()")
    public abstract void dueNow(UUID signRequestId);

    /**
     * Moves {@code r} to {@code to} (optimistic lock on its version) and sets {@code changes}. Returns false if the row
     * changed since it was read (the caller's step is void).
     */
    public boolean update(TxRequest r, TxStatus to, Instant nextAttemptAt, Change... changes) {
        // status_since moves only when the status does (the right side reads the row as it was)
        StringBuilder sql = new StringBuilder("update tx_requests set status = ?, version = version + 1, "
                + "updated_at = now(), next_attempt_at = ?, status_since = case when status = ? then status_since "
                + "else now() end");
        for (Change ch : changes) {
            sql.append(", ").append(ch.column.sqlName).append(" = ?");
        }
        sql.append(" where id = ? and version = ?");
        return jdbc.prepareStatement(sql.toString(), ps -> {
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
        });
    }

    /**
     * A request from a row that has the columns of {@code tx_requests} by name (a join's {@code t.*}), for the
     * approvals queue's page (a join whose SQL is built at run time, sent through {@code JdbcOperations}).
     */
    public static TxRequest fromRow(ResultSet rs) throws SQLException {
        return TxRequestRow.read(rs).toTxRequest();
    }

    private TxRequest read(ResultSet rs) {
        return jdbc.readEntity(rs, TxRequestRow.class).toTxRequest();
    }
}
