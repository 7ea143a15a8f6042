package org.mpcwallet.bank.mpc.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * Sign requests (docs/mpc-channel.md "Sign requests"): created by a wallet's OWNER or OPERATOR (or a bank ADMIN /
 * OPERATOR) for an ACTIVE wallet, PENDING until the device co-signs, then SIGNED with the signature and signed
 * transaction, or FAILED (key locked). Audited: SIGN_REQUESTED, SIGN_COMPLETED, SIGN_FAILED.
 */
@Singleton
public class SignRequestService {
    static final Set<WalletRole> CREATORS = Set.of(WalletRole.OWNER, WalletRole.OPERATOR);
    static final Set<Role> BANK_CREATORS = Set.of(Role.ADMIN, Role.OPERATOR);
    static final Set<WalletRole> READERS = Set.of(WalletRole.values());
    static final Set<Role> BANK_READERS = Set.of(Role.ADMIN, Role.OPERATOR, Role.COMPLIANCE, Role.VIEWER);
    private static final String COLUMNS = "id, wallet_id, status, tx_type, chain_id, nonce, "
            + "max_priority_fee_per_gas, max_fee_per_gas, gas_price, gas_limit, to_address, value_wei, data, "
            + "signing_hash, created_by, created_at, expires_at, updated_at, sig_r, sig_s, sig_v, raw_transaction, "
            + "tx_hash, failure";

    private final DataSource dataSource;
    private final WalletService wallets;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Duration ttl;
    private final boolean direct;
    private final Clock clock = Clock.systemUTC();

    public SignRequestService(DataSource dataSource, WalletService wallets, AuditLog audit, JsonMapper json,
                              SignerConfig config) {
        this.dataSource = dataSource;
        this.wallets = wallets;
        this.audit = audit;
        this.json = json;
        this.ttl = Duration.ofSeconds(config.signRequestTtlSeconds());
        this.direct = config.directSignRequests();
    }

    public SignRequest create(Caller caller, String walletId, EthTransaction tx, String correlationId) {
        if (!direct) {
            throw new WalletException(Kind.FORBIDDEN, "Direct sign requests are disabled: transfers go through "
                    + "POST /v1/tx-requests (KYT, policies, approvals).");
        }
        return inTx(c -> {
            Wallet w = wallets.requireRole(c, caller, walletId, CREATORS, BANK_CREATORS);
            if (w.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT, "The wallet is " + w.status() + "; only an ACTIVE wallet signs.");
            }
            Instant now = now();
            SignRequest r = new SignRequest(UUID.randomUUID(), w.id(), SignRequest.Status.PENDING, tx,
                    tx.signingHash(), caller.userId(), now, now.plus(ttl), now, null, null, null, null);
            insert(c, r);
            audit.append(c, caller.actor(), "SIGN_REQUESTED", payload("requestId", r.id().toString(), "walletId",
                    w.id().toString(), "type", tx.type().name(), "to", tx.to().toChecksumHex(), "valueWei",
                    tx.value().toString(), "chainId", tx.chainId().toString(), "nonce", tx.nonce().toString(),
                    "signingHash", hex(r.signingHash()), "correlationId", correlationId));
            return r;
        });
    }

    public List<SignRequest> list(Caller caller, String walletId, String status) {
        SignRequest.Status st = null;
        if (status != null && !status.isBlank()) {
            try {
                st = SignRequest.Status.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "status must be one of PENDING, SIGNED, FAILED");
            }
        }
        SignRequest.Status filter = st;
        return inTx(c -> {
            Wallet w = wallets.requireRole(c, caller, walletId, READERS, BANK_READERS);
            List<SignRequest> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from sign_requests where "
                    + "wallet_id = ? " + (filter != null ? "and status = ? " : "") + "order by created_at, id")) {
                ps.setObject(1, w.id());
                if (filter != null) {
                    ps.setString(2, filter.name());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    public SignRequest get(Caller caller, String requestId) {
        return inTx(c -> {
            SignRequest r = find(c, parseId(requestId), false).orElseThrow(SignRequestService::notFound);
            try {
                wallets.requireRole(c, caller, r.walletId().toString(), READERS, BANK_READERS);
            } catch (WalletException e) {
                throw notFound();
            }
            return r;
        });
    }

    /**
     * A sign request for a transaction request of the custody pipeline (no caller checks: the pipeline's controls
     * ran before), in the caller's transaction; audited SIGN_REQUESTED with the txRequestId.
     */
    public SignRequest createForTxRequest(Connection c, UUID walletId, EthTransaction tx, UUID txRequestId,
                                          UUID createdBy) throws SQLException {
        Instant now = now();
        SignRequest r = new SignRequest(UUID.randomUUID(), walletId, SignRequest.Status.PENDING, tx,
                tx.signingHash(), createdBy, now, now.plus(ttl), now, null, null, null, null);
        insert(c, r);
        try (PreparedStatement ps = c.prepareStatement("update sign_requests set tx_request_id = ? where id = ?")) {
            ps.setObject(1, txRequestId);
            ps.setObject(2, r.id());
            ps.executeUpdate();
        }
        audit.append(c, "system:pipeline", "SIGN_REQUESTED", payload("requestId", r.id().toString(), "txRequestId",
                txRequestId.toString(), "walletId", walletId.toString(), "type", tx.type().name(), "to",
                tx.to().toChecksumHex(), "valueWei", tx.value().toString(), "chainId", tx.chainId().toString(),
                "nonce", tx.nonce().toString(), "signingHash", hex(r.signingHash())));
        return r;
    }

    /** Failed co-signing sessions of a sign request so far. */
    public int failedSessions(Connection c, UUID signRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from mpc_sessions where request_id = ? and "
                + "status in ('FAILED', 'EXPIRED')")) {
            ps.setObject(1, signRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The sign request without access checks (for the pipeline). */
    public Optional<SignRequest> findById(Connection c, UUID id) throws SQLException {
        return find(c, id, false);
    }

    /** Whether sign requests outside the custody pipeline may be created and co-signed. */
    public boolean directAllowed() {
        return direct;
    }

    // ---- for the MPC channel (same transaction as the session row)

    /** The request, row-locked, if it exists (no access check: the caller checks). */
    Optional<SignRequest> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from sign_requests where id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    void markSigned(Connection c, SignRequest r, SignRequest.Signature sig, byte[] raw, byte[] txHash, String actor,
                    UUID sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update sign_requests set status = 'SIGNED', sig_r = ?, "
                + "sig_s = ?, sig_v = ?, raw_transaction = ?, tx_hash = ?, updated_at = ? where id = ? "
                + "and status = 'PENDING'")) {
            ps.setBytes(1, fixed32(sig.r()));
            ps.setBytes(2, fixed32(sig.s()));
            ps.setShort(3, (short) sig.v());
            ps.setBytes(4, raw);
            ps.setBytes(5, txHash);
            ps.setTimestamp(6, Timestamp.from(now()));
            ps.setObject(7, r.id());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("sign request " + r.id() + " is no longer PENDING");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("update wallets set last_used_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now()));
            ps.setObject(2, r.walletId());
            ps.executeUpdate();
        }
        audit.append(c, actor, "SIGN_COMPLETED", payload("requestId", r.id().toString(), "walletId",
                r.walletId().toString(), "sessionId", sessionId.toString(), "txHash", "0x" + hex(txHash),
                "r", hex(fixed32(sig.r())), "s", hex(fixed32(sig.s())), "v", sig.v()));
    }

    void markFailed(Connection c, SignRequest r, String failure) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update sign_requests set status = 'FAILED', failure = ?, "
                + "updated_at = ? where id = ? and status = 'PENDING'")) {
            ps.setString(1, failure);
            ps.setTimestamp(2, Timestamp.from(now()));
            ps.setObject(3, r.id());
            ps.executeUpdate();
        }
    }

    // ---- rows

    private static void insert(Connection c, SignRequest r) throws SQLException {
        EthTransaction tx = r.tx();
        try (PreparedStatement ps = c.prepareStatement("insert into sign_requests (id, wallet_id, status, tx_type, "
                + "chain_id, nonce, max_priority_fee_per_gas, max_fee_per_gas, gas_price, gas_limit, to_address, "
                + "value_wei, data, signing_hash, created_by, created_at, expires_at, updated_at) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, r.id());
            ps.setObject(2, r.walletId());
            ps.setString(3, r.status().name());
            ps.setString(4, tx.type().name());
            ps.setBigDecimal(5, new BigDecimal(tx.chainId()));
            ps.setBigDecimal(6, new BigDecimal(tx.nonce()));
            if (tx instanceof Eip1559Transaction t) {
                ps.setBigDecimal(7, new BigDecimal(t.maxPriorityFeePerGas()));
                ps.setBigDecimal(8, new BigDecimal(t.maxFeePerGas()));
                ps.setBigDecimal(9, null);
            } else {
                ps.setBigDecimal(7, null);
                ps.setBigDecimal(8, null);
                ps.setBigDecimal(9, new BigDecimal(((LegacyTransaction) tx).gasPrice()));
            }
            ps.setBigDecimal(10, new BigDecimal(tx.gasLimit()));
            ps.setString(11, tx.to().toChecksumHex());
            ps.setBigDecimal(12, new BigDecimal(tx.value()));
            ps.setBytes(13, tx.data());
            ps.setBytes(14, r.signingHash());
            ps.setObject(15, r.createdBy());
            ps.setTimestamp(16, Timestamp.from(r.createdAt()));
            ps.setTimestamp(17, Timestamp.from(r.expiresAt()));
            ps.setTimestamp(18, Timestamp.from(r.updatedAt()));
            ps.executeUpdate();
        }
    }

    private static SignRequest read(ResultSet rs) throws SQLException {
        EthAddress to = EthAddress.parse(rs.getString("to_address"));
        EthTransaction tx = switch (EthTransaction.Type.parse(rs.getString("tx_type"))) {
            case EIP1559 -> new Eip1559Transaction(big(rs, "chain_id"), big(rs, "nonce"),
                    big(rs, "max_priority_fee_per_gas"), big(rs, "max_fee_per_gas"), big(rs, "gas_limit"), to,
                    big(rs, "value_wei"), rs.getBytes("data"));
            case LEGACY -> new LegacyTransaction(big(rs, "chain_id"), big(rs, "nonce"), big(rs, "gas_price"),
                    big(rs, "gas_limit"), to, big(rs, "value_wei"), rs.getBytes("data"));
        };
        byte[] r = rs.getBytes("sig_r");
        SignRequest.Signature sig = r == null ? null : new SignRequest.Signature(new BigInteger(1, r),
                new BigInteger(1, rs.getBytes("sig_s")), rs.getShort("sig_v"));
        return new SignRequest(rs.getObject("id", UUID.class), rs.getObject("wallet_id", UUID.class),
                SignRequest.Status.valueOf(rs.getString("status")), tx, rs.getBytes("signing_hash"),
                rs.getObject("created_by", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), sig,
                rs.getBytes("raw_transaction"), rs.getBytes("tx_hash"), rs.getString("failure"));
    }

    private static BigInteger big(ResultSet rs, String column) throws SQLException {
        return rs.getBigDecimal(column).toBigIntegerExact();
    }

    static byte[] fixed32(BigInteger v) {
        return SignRequest.fixed32(v);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound();
        }
    }

    static WalletException notFound() {
        return new WalletException(Kind.NOT_FOUND, "No such sign request.");
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }

    <T> T inTx(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, work, WalletService.WalletStoreException::new);
    }
}
