package org.mpcwallet.bank.pipeline.transfer.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.paging.Page;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCase;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCaseRepository;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.bank.pipeline.transfer.persistence.ApprovalRepository.Vote;
import org.mpcwallet.bank.pipeline.transfer.persistence.ApprovalRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.SweepRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.value.Address;
import org.mpcwallet.bank.value.AssetSymbol;
import org.mpcwallet.bank.value.BaseUnits;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;

/**
 * {@code /v1/tx-requests} (docs/custody-pipeline.md): create (a wallet's OWNER or OPERATOR, or bank ADMIN/OPERATOR
 * for bank systems), list, read, resume after a KYT case, operator retry of a failed broadcast. Votes are the
 * approval feature's ({@code ApprovalService}); the steps between are the {@link PipelineWorker}'s.
 */
@Singleton
public class TxRequestService {
    static final Set<WalletRole> CREATORS = Set.of(WalletRole.OWNER, WalletRole.OPERATOR);
    static final Set<Role> BANK_CREATORS = Set.of(Role.ADMIN, Role.OPERATOR);
    static final Set<WalletRole> READERS = Set.of(WalletRole.values());
    static final Set<Role> BANK_READERS = Set.of(Role.ADMIN, Role.OPERATOR, Role.COMPLIANCE, Role.VIEWER);

    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final Transitions transitions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final ChainAccess chain;
    private final WalletRepository walletRows;
    private final ApprovalRepository approvals;
    private final TokenRepository tokenRows;
    private final KytCaseRepository caseRows;
    private final TxRequestRepository requests;
    private final SweepRepository sweeps;

    public TxRequestService(TransactionRunner transactions, WalletService wallets, Transitions transitions,
                            AuditLog audit, JsonMapper json, ChainAccess chain, WalletRepository walletRows,
                            ApprovalRepository approvals, TokenRepository tokenRows, KytCaseRepository caseRows,
                            TxRequestRepository requests, SweepRepository sweeps) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.transitions = transitions;
        this.audit = audit;
        this.json = json;
        this.chain = chain;
        this.walletRows = walletRows;
        this.approvals = approvals;
        this.tokenRows = tokenRows;
        this.caseRows = caseRows;
        this.requests = requests;
        this.sweeps = sweeps;
    }

    /**
     * A request with its votes, as the API shows it; {@code sweepTo} is the successor wallet when the request is the
     * sweep of a rotated wallet (docs/key-rotation.md), else null.
     */
    public record View(TxRequest request, List<Vote> votes, UUID sweepTo) {
        public View(TxRequest request, List<Vote> votes) {
            this(request, votes, null);
        }
    }

    /**
     * A new transfer request from wallet {@code walletId}: {@code asset}, {@code to} and {@code amount} are read at
     * the edge (docs/redesign.md step 6); the wallet, the caller's role on it and the token are checked here.
     */
    public View create(Caller caller, String walletId, AssetSymbol asset, Address to, BaseUnits amount, String note,
                       String correlationId) {
        String sym = asset.symbol();
        BigInteger value = amount.value();
        String memo = note == null ? null : note.strip();
        if (memo != null && memo.length() > 500) {
            throw new WalletException(Kind.INVALID_REQUEST, "note must be at most 500 characters");
        }
        return transactions.inTransaction(() -> {
            Wallet w = wallets.requireRole(caller, walletId, CREATORS, BANK_CREATORS);
            if (w.status() != WalletStatus.ACTIVE) {
                throw new WalletException(Kind.CONFLICT,
                        "The wallet is " + w.status() + "; only an ACTIVE wallet sends.");
            }
            if (sweeps.rotation(w.id(), false).isPresent()) {
                throw new WalletException(Kind.CONFLICT, "The wallet's key is retired and the wallet is rotated; its "
                        + "funds move only by the sweep to its successor.");
            }
            String token = null;
            if (!sym.equals("ETH")) {
                token = tokenAddress(sym);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            TxRequest r = TxRequest.submitted(UUID.randomUUID(), w.id(), caller.userId(), sym, token, to.hex(),
                    value, memo, now);
            requests.insert(r);
            audit.appendInTransaction(caller.actor(), "TX_SUBMITTED", AuditPayload.of(json, "txRequestId",
                    r.id().toString(), "walletId", w.id().toString(), "asset", sym, "token", token, "to",
                    r.toAddress(), "amount", value.toString(), "createdBy", caller.userId().toString(),
                    "correlationId", correlationId));
            return new View(r, List.of());
        });
    }

    /**
     * A page of the requests the caller may see (without votes), each marked when it is a sweep, oldest first
     * (docs/integration.md "Pagination"); filters: wallet, status, creation time in [createdFrom, createdTo).
     */
    public Page<View> list(Caller caller, String walletId, String status, String createdFrom, String createdTo,
                           String cursor, Integer limit) {
        TxStatus st = parseStatus(status);
        Instant from = Cursors.instant("createdFrom", createdFrom);
        Instant to = Cursors.instant("createdTo", createdTo);
        int n = Cursors.limit(limit);
        Cursors.TimeKey after = Cursors.timeKey("tx-requests", cursor);
        return transactions.inTransaction(() -> {
            Set<UUID> scope;
            if (walletId != null && !walletId.isBlank()) {
                scope = Set.of(wallets.requireRole(caller, walletId, READERS, BANK_READERS).id());
            } else if (caller.isStaff()) {
                scope = null;
            } else {
                scope = walletRows.walletIdsOf(caller.userId());
            }
            List<TxRequest> rows = requests.page(scope, st, from, to, after, n);
            java.util.Map<UUID, UUID> targets = sweeps.sweepTargets(rows.stream().map(TxRequest::id).toList());
            List<View> out = new ArrayList<>();
            for (TxRequest r : rows) {
                out.add(new View(r, null, targets.get(r.id())));
            }
            return Page.of(out, n, v -> Cursors.timeCursor("tx-requests", v.request().createdAt(),
                    v.request().id()));
        });
    }

    public View get(Caller caller, String id) {
        return transactions.inTransaction(() -> {
            TxRequest r = visible(caller, id);
            return new View(r, approvals.votes(r.id()), sweeps.sweepTarget(r.id()).orElse(null));
        });
    }

    /** After the request's KYT case was resolved: continue (ALLOW) or block (BLOCK). */
    public View resume(Caller caller, String id) {
        return transactions.inTransaction(() -> {
            TxRequest r = requests.find(parseId(id), true).orElseThrow(TxRequestService::notFound);
            boolean compliance = caller.bankRoles().contains(Role.COMPLIANCE) || caller.bankRoles().contains(Role.ADMIN);
            if (!compliance && !r.createdBy().equals(caller.userId())) {
                visible(caller, id);
                throw new WalletException(Kind.FORBIDDEN, "Resuming needs COMPLIANCE or the request's creator.");
            }
            if (r.status() != TxStatus.KYT_REVIEW || r.kytCaseId() == null) {
                throw new WalletException(Kind.CONFLICT, "The request is " + r.status() + "; only a request in "
                        + "KYT_REVIEW resumes.");
            }
            KytCase.Status caseStatus = caseRows.status(r.kytCaseId());
            if (caseStatus == KytCase.Status.OPEN) {
                throw new WalletException(Kind.CONFLICT, "The KYT case " + r.kytCaseId() + " is still OPEN.");
            }
            TxEvent.CaseResolved event = new TxEvent.CaseResolved(caseStatus == KytCase.Status.ALLOWED
                    ? TxEvent.CaseResolved.Resolution.ALLOW : TxEvent.CaseResolved.Resolution.BLOCK);
            transitions.apply(r, event, Instant.now(), caller.actor());
            return new View(requests.find(r.id(), false).orElseThrow(), approvals.votes(r.id()));
        });
    }

    /** An operator (ADMIN/OPERATOR) retries a permanently failed broadcast. */
    public View retry(Caller caller, String id) {
        if (!caller.bankRoles().contains(Role.ADMIN) && !caller.bankRoles().contains(Role.OPERATOR)) {
            throw new WalletException(Kind.FORBIDDEN, "Only a bank ADMIN or OPERATOR retries a broadcast.");
        }
        return transactions.inTransaction(() -> {
            TxRequest r = requests.find(parseId(id), true).orElseThrow(TxRequestService::notFound);
            if (!transitions.apply(r, new TxEvent.Retry(caller.username()), Instant.now(), caller.actor())) {
                throw new WalletException(Kind.CONFLICT, "The request is " + r.status() + "; only FAILED_BROADCAST is "
                        + "retried.");
            }
            return new View(requests.find(r.id(), false).orElseThrow(), approvals.votes(r.id()));
        });
    }

    private TxRequest visible(Caller caller, String id) {
        TxRequest r = requests.find(parseId(id), false).orElseThrow(TxRequestService::notFound);
        try {
            wallets.requireRole(caller, r.walletId().toString(), READERS, BANK_READERS);
        } catch (WalletException e) {
            throw notFound();
        }
        return r;
    }

    private String tokenAddress(String symbol) {
        if (!chain.configured()) {
            throw new WalletException(Kind.CONFLICT, "No Ethereum node is configured; tokens need one.");
        }
        long chainId = chain.chainId();
        return tokenRows.address(chainId, symbol).orElseThrow(() -> new WalletException(Kind.INVALID_REQUEST,
                "unknown asset " + symbol + " on chain " + chainId));
    }

    private static TxStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TxStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new WalletException(Kind.INVALID_REQUEST, "unknown status " + status.strip());
        }
    }

    /** The request id of a path; one that is no UUID names no request. */
    public static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound();
        }
    }

    public static WalletException notFound() {
        return new WalletException(Kind.NOT_FOUND, "No such transaction request.");
    }

}
