package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.db.StoreException;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.mpc.persistence.KeyIncidentRepository;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.PipelineConfig;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.persistence.NonceAllocationRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.SweepRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.WalletRotation;
import org.mpcwallet.bank.sched.Periodic;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletLifecycle;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.gateway.SignerUnavailableException;

/**
 * Recovery of a wallet whose key locked (docs/key-rotation.md, docs/operations.md "Key locked"): an ADMIN rotates it
 * (a successor wallet with the same owner, type and roles, whose device runs a normal keygen), then sweeps it (one
 * transaction request per asset with a balance, through KYT, policies and approvals, each signed by the locked key
 * under a sweep authorization the signer stores: it pays the successor's address only). When every sweep is final
 * and the signer reports the key retired, the old wallet is RETIRED and its incident resolved.
 */
@Singleton
public class RotationService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RotationService.class);
    static final String ACTOR = "system:rotation";
    /** Gas reserved per sweep transaction at the fee cap: an ETH transfer, and an ERC-20 transfer (with headroom). */
    static final BigInteger ETH_SWEEP_GAS = BigInteger.valueOf(25_200);
    static final BigInteger TOKEN_SWEEP_GAS = BigInteger.valueOf(120_000);
    /** The most wallets one periodic check looks at. */
    private static final int RECHECK_BATCH = 100;
    /** The longest interval of the periodic check: one day. */
    private static final long MAX_RECHECK_MILLIS = 86_400_000L;

    private final SignRequestService db;
    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final WalletLifecycle lifecycle;
    private final SignerGateway signer;
    private final ChainAccess chain;
    private final PipelineConfig config;
    private final AuditLog audit;
    private final KeyIncidentRepository incidents;
    private final Periodic recheck;
    private final TokenRepository tokenRows;
    private final TxRequestRepository requests;
    private final SweepRepository sweeps;
    private final NonceAllocationRepository nonces;

    public RotationService(TransactionRunner transactions, SignRequestService db, WalletService wallets,
                           WalletLifecycle lifecycle, SignerGateway signer, ChainAccess chain, PipelineConfig config,
                           AuditLog audit, KeyIncidentRepository incidents, TokenRepository tokenRows,
                           TxRequestRepository requests, SweepRepository sweeps, NonceAllocationRepository nonces,
                           @Value("${bank.rotation.recheck-interval-millis:60000}") long recheckMillis) {
        if (recheckMillis < 0 || recheckMillis > MAX_RECHECK_MILLIS) {
            throw new IllegalArgumentException("bank.rotation.recheck-interval-millis must be 0-" + MAX_RECHECK_MILLIS
                    + " (0: only when called), got " + recheckMillis);
        }
        this.incidents = incidents;
        this.db = db;
        this.transactions = transactions;
        this.wallets = wallets;
        this.lifecycle = lifecycle;
        this.signer = signer;
        this.chain = chain;
        this.config = config;
        this.audit = audit;
        this.tokenRows = tokenRows;
        this.requests = requests;
        this.sweeps = sweeps;
        this.nonces = nonces;
        this.recheck = Periodic.every("rotation-recheck", recheckMillis, this::recheckQuietly);
    }

    @PreDestroy
    void stop() {
        recheck.close();
    }

    /** What {@link #sweep} created: the requests and the signer's sweep authorization. */
    public record Sweep(UUID oldWalletId, UUID newWalletId, String to, List<UUID> txRequestIds, boolean retired) {
    }

    /** ADMIN: a successor wallet (PENDING_KEYGEN) for a wallet whose key is locked. 409 if not locked or rotated. */
    public WalletRotation rotate(Caller caller, String walletId, String reason) {
        requireAdmin(caller);
        String r = reason == null ? "" : reason.strip();
        if (r.isEmpty() || r.length() > 500) {
            throw new WalletException(Kind.INVALID_REQUEST, "reason is required (1-500 characters)");
        }
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, Set.of(), Set.of(Role.ADMIN));
            if (w.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT, "The wallet is " + w.status() + "; only an ACTIVE wallet "
                        + "whose key locked is rotated.");
            }
            if (!wallets.keysetLocked(w.keysetId())) {
                throw new WalletException(Kind.CONFLICT, "The wallet's key is not locked. Rotation replaces a key "
                        + "retired after a failed signature; routine share rotation is a refresh.");
            }
            Optional<WalletRotation> existing = sweeps.rotation(w.id(), true);
            if (existing.isPresent()) {
                throw new WalletException(Kind.CONFLICT, "The wallet is already rotated to wallet "
                        + existing.get().newWalletId() + ".");
            }
            Wallet next = lifecycle.createSuccessor(w, caller.actor());
            WalletRotation rotation = new WalletRotation(w.id(), next.id(), r, caller.userId(), db.now(), null);
            sweeps.insertRotation(rotation);
            audit.appendInTransaction(caller.actor(), "WALLET_ROTATION_AUTHORIZED", db.payload("walletId",
                    w.id().toString(), "keysetId", w.keysetId(), "newWalletId", next.id().toString(), "newKeysetId",
                    next.keysetId(), "reason", r));
            return rotation;
        });
    }

    /** The rotation of a wallet (ADMIN, COMPLIANCE, or anyone who sees the wallet), or empty. */
    public Optional<WalletRotation> rotation(Caller caller, String walletId) {
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId,
                    java.util.EnumSet.allOf(org.mpcwallet.bank.auth.domain.WalletRole.class),
                    Set.of(Role.ADMIN, Role.COMPLIANCE));
            return sweeps.rotation(w.id(), false);
        });
    }

    /**
     * ADMIN: once the successor is ACTIVE, one sweep request per asset with a balance, from the old wallet to the
     * successor's address (the ETH request leaves the fee reserve of every sweep at the fee cap). The signer first
     * stores the sweep authorization (its target and the number of signatures), so nothing else can be signed with
     * the locked key. Refused while earlier sweeps are open. A wallet with nothing to sweep is retired at once.
     */
    public Sweep sweep(Caller caller, String walletId) {
        requireAdmin(caller);
        if (!chain.configured()) {
            throw new WalletException(Kind.CONFLICT, "No Ethereum node is configured (ETH_RPC_URL).");
        }
        long chainId = chain.chainId();
        record Read(Wallet old, Wallet next, List<TokenRepository.Token> tokens) {
        }
        Read read = transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, Set.of(), Set.of(Role.ADMIN));
            WalletRotation rot = sweeps.rotation(w.id(), true).orElseThrow(() -> new WalletException(Kind.CONFLICT,
                    "The wallet is not rotated; rotate it first."));
            if (w.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT,
                        "The wallet is " + w.status() + "; there is nothing to sweep.");
            }
            Wallet next = wallets.find(rot.newWalletId());
            if (next == null || next.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT, "The successor wallet " + rot.newWalletId() + " is "
                        + (next == null ? "missing" : next.status()) + "; its owner's device runs its keygen first.");
            }
            if (sweeps.openSweeps(w.id()) > 0) {
                throw new WalletException(Kind.CONFLICT, "Sweeps of this wallet are still running; wait until they "
                        + "are final.");
            }
            if (sweeps.signedNotFinal(w.id()) > 0) {
                throw new WalletException(Kind.CONFLICT, "Transfers of this wallet signed before its key locked are "
                        + "still being broadcast or confirmed; sweep once they are final.");
            }
            return new Read(w, next, tokenRows.all(chainId));
        });
        // balances are read after the transaction: no row lock is held while the node answers
        EthNode node = chain.node();
        record Asset(String symbol, String token, BigInteger amount) {
        }
        List<Asset> tokens = new ArrayList<>();
        for (TokenRepository.Token t : read.tokens()) {
            BigInteger b = value(node.erc20Balance(t.address(), read.old().address()), "token balance");
            if (b.signum() > 0) {
                tokens.add(new Asset(t.symbol(), t.address(), b));
            }
        }
        BigInteger reserve = ETH_SWEEP_GAS.add(TOKEN_SWEEP_GAS.multiply(BigInteger.valueOf(tokens.size())))
                .multiply(config.maxFeeCap());
        BigInteger eth = value(node.balance(read.old().address()), "balance").subtract(reserve);
        List<Asset> assets = new ArrayList<>(tokens);
        if (eth.signum() > 0) {
            assets.add(0, new Asset("ETH", null, eth));
        }
        String to = read.next().address().toLowerCase(java.util.Locale.ROOT);
        if (assets.isEmpty()) {
            transactions.inTransaction(() -> {
                retire(read.old().id(), caller.actor(), "nothing to sweep");
                return null;
            });
            return new Sweep(read.old().id(), read.next().id(), to, List.of(), true);
        }
        GatewayReply authorized;
        try {
            authorized = signer.authorizeSweep(read.old().keysetId(), to, assets.size());
        } catch (SignerUnavailableException e) {
            throw new WalletException(Kind.CONFLICT, "The signer is unavailable; nothing was created. Try again.");
        }
        if (!(authorized instanceof GatewayReply.KeysetDone done)) {
            throw new WalletException(Kind.CONFLICT, "The signer refused the sweep authorization: "
                    + (authorized instanceof GatewayReply.Failure f ? f.reason() : authorized));
        }
        GatewayKeyset sweeping = done.keyset();
        BigInteger pendingNonce = value(node.pendingNonce(read.old().address()), "nonce");
        return transactions.inTransaction(() -> {
            Instant now = db.now();
            // nonces reserved by transfers that will never be signed (the key is locked) are given back
            nonces.rebase(BigInteger.valueOf(chainId), read.old().address(), pendingNonce);
            List<UUID> ids = new ArrayList<>();
            for (Asset a : assets) {
                TxRequest r = TxRequest.submitted(UUID.randomUUID(), read.old().id(), caller.userId(), a.symbol(),
                        a.token(), to, a.amount(), "sweep of a retired key to wallet " + read.next().id(), now);
                requests.insert(r);
                sweeps.insertSweep(r.id(), read.old().id());
                ids.add(r.id());
                audit.appendInTransaction(caller.actor(), "TX_SUBMITTED", db.payload("txRequestId", r.id().toString(),
                        "walletId", read.old().id().toString(), "asset", a.symbol(), "token", a.token(), "to", to,
                        "amount", a.amount().toString(), "createdBy", caller.userId().toString(), "kind", "SWEEP"));
            }
            audit.appendInTransaction(caller.actor(), "WALLET_SWEEP_CREATED", db.payload("walletId",
                    read.old().id().toString(), "newWalletId", read.next().id().toString(), "to", to, "txRequestIds",
                    ids.stream().map(UUID::toString).toList(), "sweepsLeft", sweeping.sweepsLeft()));
            return new Sweep(read.old().id(), read.next().id(), to, ids, false);
        });
    }

    /**
     * After a request reached FINALIZED and the worker's transaction committed: if it was a sweep, its wallet is
     * retired when nothing of it is left open and the signer reports the key retired ({@link #retireIfSwept}). A
     * failure here leaves the wallet ACTIVE (locked) and the transfer FINALIZED; the periodic {@link #retireSwept}
     * finds it later.
     */
    public void afterFinalizedCommitted(TxRequest r) {
        try {
            if (transactions.inTransaction(() -> sweeps.sweepTarget(r.id()).isPresent())) {
                retireIfSwept(r.walletId(), "sweep " + r.id());
            }
        } catch (StoreException e) {
            LOG.warn("rotation: wallet {} not retired after sweep {} ({}); the periodic check retires it later",
                    r.walletId(), r.id(), e.getClass().getSimpleName());
        }
    }

    /**
     * The periodic check (every {@code bank.rotation.recheck-interval-millis}): retires the rotated wallets whose
     * sweeps are all final, at least one FINALIZED, the signer reporting their key retired, but whose retirement was
     * cut off (the signer unavailable when the last sweep became final, or a crash right after its commit). Without
     * it such a wallet stayed ACTIVE with its incident open until an ADMIN pressed Sweep again. Returns how many it
     * retired.
     */
    public int retireSwept() {
        int retired = 0;
        for (UUID walletId : transactions.inTransaction(() -> sweeps.sweptNotRetired(RECHECK_BATCH))) {
            try {
                retired += retireIfSwept(walletId, "periodic check") ? 1 : 0;
            } catch (RuntimeException e) { // one wallet's failure does not keep the others from being checked
                LOG.warn("rotation: the periodic check of wallet {} failed ({})", walletId,
                        e.getClass().getSimpleName());
            }
        }
        return retired;
    }

    /**
     * Retires the wallet if no sweep of it is open, it is ACTIVE, and the signer reports its key retired; the signer
     * is asked between two short transactions, never while one is open (it may be a remote process), and the second
     * checks again under the wallet's row lock. An unavailable signer leaves it as it is (logged). Whether it retired.
     */
    private boolean retireIfSwept(UUID walletId, String after) {
        String keysetId = transactions.inTransaction(() -> sweptAndActive(walletId)
                ? wallets.find(walletId).keysetId() : null);
        if (keysetId == null) {
            return false;
        }
        GatewayKeyset ks;
        try {
            ks = signer.keyset(keysetId);
        } catch (SignerUnavailableException e) {
            LOG.warn("rotation: wallet {} not retired after {} (the signer is unavailable); the periodic check "
                    + "tries again", walletId, after);
            return false;
        }
        if (ks == null || !ks.retired()) {
            return false;
        }
        return transactions.inTransaction(() -> {
            if (!sweptAndActive(walletId)) {
                return false;
            }
            retire(walletId, ACTOR, "swept");
            return true;
        });
    }

    private void recheckQuietly() {
        try {
            int n = retireSwept();
            if (n > 0) {
                LOG.info("rotation: the periodic check retired {} swept wallet(s)", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("rotation: the periodic check failed ({})", e.getClass().getSimpleName());
        }
    }

    /** Whether no sweep of the wallet is open any more and the wallet (row-locked) is ACTIVE. */
    private boolean sweptAndActive(UUID walletId) {
        if (sweeps.openSweeps(walletId) > 0) {
            return false;
        }
        Wallet w = wallets.find(walletId);
        return w != null && w.status() == WalletStatus.ACTIVE;
    }

    private void retire(UUID walletId, String actor, String why) throws SQLException {
        Instant now = db.now();
        lifecycle.markRetired(walletId, actor);
        sweeps.markRetired(walletId, now);
        incidents.resolveKeyLocks(walletId, now);
        audit.appendInTransaction(actor, "INCIDENT_RESOLVED", db.payload("walletId", walletId.toString(), "how",
                "rotated and " + why));
    }

    private static BigInteger value(ChainResult<BigInteger> r, String what) {
        return switch (r) {
            case ChainResult.Ok<BigInteger> ok -> ok.value();
            case ChainResult.Failed<BigInteger> f -> throw new WalletException(Kind.CONFLICT, "The Ethereum node "
                    + "did not answer (" + what + "); nothing was created. Try again.");
        };
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN rotates or sweeps a wallet.");
        }
    }
}
