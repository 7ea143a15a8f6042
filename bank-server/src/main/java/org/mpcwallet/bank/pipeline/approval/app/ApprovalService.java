package org.mpcwallet.bank.pipeline.approval.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.transfer.app.Transitions;
import org.mpcwallet.bank.pipeline.transfer.app.TxRequestService;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.bank.pipeline.transfer.persistence.ApprovalRepository.Vote;
import org.mpcwallet.bank.pipeline.transfer.persistence.ApprovalRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.SweepRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;

/**
 * {@code POST /v1/tx-requests/{id}/approve} (docs/custody-pipeline.md "Approvals"): an approver's vote on a transfer
 * waiting in APPROVAL_PENDING. Segregation of duties: the APPROVER role on the wallet (for a sweep, a bank ADMIN),
 * staff or a signatory the bank registered, never an owner of the wallet, never the request's creator, one vote
 * each. The vote is counted under the request's row lock, so concurrent votes cannot both complete the quorum or vote
 * twice; the pure {@code TxRequestMachine} decides the move.
 */
@Singleton
public class ApprovalService {
    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final Transitions transitions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final ApprovalRepository approvalRows;
    private final TxRequestRepository requests;
    private final SweepRepository sweeps;

    public ApprovalService(TransactionRunner transactions, WalletService wallets, Transitions transitions,
                           AuditLog audit, JsonMapper json, ApprovalRepository approvalRows,
                           TxRequestRepository requests, SweepRepository sweeps) {
        this.transactions = transactions;
        this.requests = requests;
        this.sweeps = sweeps;
        this.approvalRows = approvalRows;
        this.wallets = wallets;
        this.transitions = transitions;
        this.audit = audit;
        this.json = json;
    }

    public TxRequestService.View approve(Caller caller, String id, String decision, String comment) {
        String d = decision == null ? "" : decision.strip().toUpperCase(Locale.ROOT);
        if (!d.equals("APPROVE") && !d.equals("REJECT")) {
            throw new WalletException(Kind.INVALID_REQUEST, "decision must be APPROVE or REJECT");
        }
        String note = comment == null ? null : comment.strip();
        if (note != null && note.length() > 500) {
            throw new WalletException(Kind.INVALID_REQUEST, "comment must be at most 500 characters");
        }
        return transactions.inTransaction(() -> {
            TxRequest r = requests.find(TxRequestService.parseId(id), true)
                    .orElseThrow(TxRequestService::notFound);
            // a sweep (docs/key-rotation.md) is created by an ADMIN; another ADMIN may approve it
            boolean sweep = sweeps.sweepTarget(r.id()).isPresent();
            try {
                wallets.requireRole(caller, r.walletId().toString(), Set.of(WalletRole.APPROVER),
                        sweep ? Set.of(Role.ADMIN) : Set.of());
            } catch (WalletException e) {
                if (e.kind() == Kind.NOT_FOUND) {
                    throw TxRequestService.notFound();
                }
                throw new WalletException(Kind.FORBIDDEN, "Approving needs the APPROVER role on the wallet"
                        + (sweep ? " or, for a sweep, the ADMIN role." : "."));
            }
            if (!sweep && !Caller.eligibleApprover(caller.bankRoles())) {
                throw new WalletException(Kind.FORBIDDEN, "Approving needs staff or a signatory the bank registered; "
                        + "this account is neither.");
            }
            if (wallets.holds(r.walletId(), caller.userId(), WalletRole.OWNER)) {
                throw new WalletException(Kind.FORBIDDEN, "An owner of the wallet never approves its transfers "
                        + "(segregation of duties).");
            }
            if (r.createdBy().equals(caller.userId())) {
                throw new WalletException(Kind.FORBIDDEN, "The creator of a request can never approve it "
                        + "(segregation of duties).");
            }
            if (r.status() != TxStatus.APPROVAL_PENDING) {
                throw new WalletException(Kind.CONFLICT, "The request is " + r.status() + "; it takes no votes.");
            }
            if (!approvalRows.insert(r.id(), caller.userId(), d, note, Instant.now())) {
                throw new WalletException(Kind.CONFLICT, "You have already voted on this request.");
            }
            int approvals = 0;
            for (Vote v : approvalRows.votes(r.id())) {
                if (v.decision().equals("APPROVE")) {
                    approvals++;
                }
            }
            audit.appendInTransaction(caller.actor(), "APPROVAL_RECORDED", AuditPayload.of(json, "txRequestId",
                    r.id().toString(), "userId", caller.userId().toString(), "decision", d, "comment", note,
                    "approvals", approvals, "required", r.requiredApprovals()));
            TxEvent.Vote vote = new TxEvent.Vote(d.equals("APPROVE") ? TxEvent.Vote.Decision.APPROVE
                    : TxEvent.Vote.Decision.REJECT, approvals, Math.max(1, r.requiredApprovals()));
            transitions.apply(r, vote, Instant.now(), caller.actor());
            TxRequest after = requests.find(r.id(), false).orElseThrow();
            return new TxRequestService.View(after, approvalRows.votes(r.id()));
        });
    }

}
