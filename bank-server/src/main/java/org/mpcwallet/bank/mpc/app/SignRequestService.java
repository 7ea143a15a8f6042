package org.mpcwallet.bank.mpc.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.mpc.persistence.MpcSessionRepository;
import org.mpcwallet.bank.mpc.persistence.SignRequestRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;
import org.mpcwallet.crypto.eth.EthTransaction;

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

    private final TransactionRunner transactions;
    private final SignRequestRepository rows;
    private final MpcSessionRepository sessions;
    private final WalletRepository walletRows;
    private final WalletService wallets;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Duration ttl;
    private final boolean direct;
    private final Clock clock = Clock.systemUTC();

    public SignRequestService(TransactionRunner transactions, SignRequestRepository rows,
                              MpcSessionRepository sessions, WalletRepository walletRows, WalletService wallets,
                              AuditLog audit, JsonMapper json, SignerConfig config) {
        this.transactions = transactions;
        this.rows = rows;
        this.sessions = sessions;
        this.walletRows = walletRows;
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
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, CREATORS, BANK_CREATORS);
            if (w.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT,
                        "The wallet is " + w.status() + "; only an ACTIVE wallet signs.");
            }
            Instant now = now();
            SignRequest r = SignRequest.pending(UUID.randomUUID(), w.id(), tx, caller.userId(), now, now.plus(ttl));
            rows.insert(r, null);
            audit.appendInTransaction(caller.actor(), "SIGN_REQUESTED", payload("requestId", r.id().toString(),
                    "walletId", w.id().toString(), "type", tx.type().name(), "to", tx.to().toChecksumHex(), "valueWei",
                    tx.value().toString(), "chainId", tx.chainId().toString(), "nonce", tx.nonce().toString(),
                    "signingHash", hex(r.signingHash()), "correlationId", correlationId));
            return r;
        });
    }

    /**
     * A page of a wallet's sign requests, oldest first (docs/integration.md "Pagination"); filters: status, creation
     * time in [createdFrom, createdTo).
     */
    public org.mpcwallet.bank.paging.Page<SignRequest> list(Caller caller, String walletId, String status,
                                                            String createdFrom, String createdTo, String cursor,
                                                            Integer limit) {
        java.time.Instant from = org.mpcwallet.bank.paging.Cursors.instant("createdFrom", createdFrom);
        java.time.Instant to = org.mpcwallet.bank.paging.Cursors.instant("createdTo", createdTo);
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        org.mpcwallet.bank.paging.Cursors.TimeKey after = org.mpcwallet.bank.paging.Cursors.timeKey("sign-requests",
                cursor);
        SignRequest.Status st = null;
        if (status != null && !status.isBlank()) {
            try {
                st = SignRequest.Status.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new WalletException(Kind.INVALID_REQUEST, "status must be one of PENDING, SIGNED, FAILED");
            }
        }
        SignRequest.Status filter = st;
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, READERS, BANK_READERS);
            return org.mpcwallet.bank.paging.Page.of(rows.page(w.id(), filter, from, to, after, n), n, r ->
                    org.mpcwallet.bank.paging.Cursors.timeCursor("sign-requests", r.createdAt(), r.id()));
        });
    }

    public SignRequest get(Caller caller, String requestId) {
        return transactions.inTransaction(() -> {
            SignRequest r = find(parseId(requestId), false).orElseThrow(SignRequestService::notFound);
            try {
                wallets.requireRole(caller, r.walletId().toString(), READERS, BANK_READERS);
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
    public SignRequest createForTxRequest(UUID walletId, EthTransaction tx, UUID txRequestId,
                                          UUID createdBy) throws SQLException {
        Instant now = now();
        SignRequest r = SignRequest.pending(UUID.randomUUID(), walletId, tx, createdBy, now, now.plus(ttl));
        rows.insert(r, txRequestId);
        audit.appendInTransaction("system:pipeline", "SIGN_REQUESTED", payload("requestId", r.id().toString(),
                "txRequestId", txRequestId.toString(), "walletId", walletId.toString(), "type", tx.type().name(), "to",
                tx.to().toChecksumHex(), "valueWei", tx.value().toString(), "chainId", tx.chainId().toString(), "nonce",
                tx.nonce().toString(), "signingHash", hex(r.signingHash())));
        return r;
    }

    /** Failed co-signing sessions of a sign request so far. */
    public int failedSessions(UUID signRequestId) {
        return sessions.failedFor(signRequestId);
    }

    /** The sign request without access checks (for the pipeline). */
    public Optional<SignRequest> findById(UUID id) {
        return find(id, false);
    }

    /** Whether sign requests outside the custody pipeline may be created and co-signed. */
    public boolean directAllowed() {
        return direct;
    }

    // ---- for the MPC channel (same transaction as the session row)

    /** The request, row-locked, if it exists (no access check: the caller checks). */
    Optional<SignRequest> find(UUID id, boolean forUpdate) {
        return rows.find(id, forUpdate);
    }

    void markSigned(SignRequest r, SignRequest.Signature sig, byte[] raw, byte[] txHash, String actor,
                    UUID sessionId) throws SQLException {
        if (!rows.markSigned(r.id(), sig, raw, txHash, now())) {
            throw new IllegalStateException("sign request " + r.id() + " is no longer PENDING");
        }
        walletRows.markUsed(r.walletId(), now());
        audit.appendInTransaction(actor, "SIGN_COMPLETED", payload("requestId", r.id().toString(), "walletId",
                r.walletId().toString(), "sessionId", sessionId.toString(), "txHash", "0x" + hex(txHash),
                "r", hex(fixed32(sig.r())), "s", hex(fixed32(sig.s())), "v", sig.v()));
    }

    void markFailed(SignRequest r, String failure) {
        rows.markFailed(r.id(), failure, now());
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
}
