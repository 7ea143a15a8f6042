package org.mpcwallet.bank.changes.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.changes.persistence.PendingChangeRepository;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.paging.Cursors;
import org.mpcwallet.bank.paging.Page;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * The second ADMIN's decision on a proposed change (docs/admin-console.md "Four eyes"). Approving applies the change
 * through its feature's {@link ChangeApplier}, in the same transaction as the decision and its audit event
 * ({@code CHANGE_APPROVED}); the proposer cannot approve their own change; a change is decided once. A change that no
 * longer applies is marked FAILED with the reason ({@code CHANGE_FAILED}) and nothing of it stays. Rejecting (by
 * another ADMIN, or the proposer withdrawing it) is audited {@code CHANGE_REJECTED}. ADMIN, COMPLIANCE and OPERATOR
 * read the changes.
 */
@Singleton
public class ChangeDecisions {
    private static final java.util.Set<Role> READERS = java.util.Set.of(Role.ADMIN, Role.COMPLIANCE, Role.OPERATOR);

    private final TransactionRunner transactions;
    private final PendingChangeRepository store;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Map<String, ChangeApplier> appliers = new HashMap<>();
    private final Clock clock = Clock.systemUTC();

    public ChangeDecisions(TransactionRunner transactions, PendingChangeRepository store, AuditLog audit,
                           JsonMapper json, List<ChangeApplier> appliers) {
        this.transactions = transactions;
        this.store = store;
        this.audit = audit;
        this.json = json;
        for (ChangeApplier a : appliers) {
            for (String k : a.kinds()) {
                if (this.appliers.put(k, a) != null) {
                    throw new IllegalStateException("two appliers for the change kind " + k);
                }
            }
        }
    }

    public Page<PendingChange> list(Caller caller, String status, String cursor, Integer limit) {
        requireReader(caller);
        PendingChange.Status st;
        try {
            st = status == null || status.isBlank() ? null : PendingChange.Status.valueOf(status.strip());
        } catch (IllegalArgumentException e) {
            throw new WalletException(Kind.INVALID_REQUEST, "status must be one of "
                    + List.of(PendingChange.Status.values()));
        }
        int n = Cursors.limit(limit);
        Cursors.TimeKey after = Cursors.timeKey("changes", cursor);
        return transactions.inTransaction(() -> Page.of(store.page(st, after, n), n,
                p -> Cursors.timeCursor("changes", p.createdAt(), p.id())));
    }

    public PendingChange get(Caller caller, String id) {
        requireReader(caller);
        UUID changeId = changeId(id);
        return transactions.inTransaction(() -> store.find(changeId, false)
                .orElseThrow(ChangeDecisions::noSuchChange));
    }

    public PendingChange approve(Caller approver, String id, String comment, String correlationId) {
        if (!approver.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN approves a change to the controls.");
        }
        UUID changeId = changeId(id);
        String note = comment(comment);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            return transactions.inTransaction(() -> {
                PendingChange p = pending(changeId);
                if (p.proposedBy().equals(approver.userId())) {
                    throw new WalletException(Kind.FORBIDDEN, "You proposed this change: a second ADMIN approves it.");
                }
                ChangeApplier applier = appliers.get(p.kind());
                if (applier == null) {
                    throw new IllegalStateException("no applier for the change kind " + p.kind());
                }
                Caller proposer = Caller.of(p.proposedBy(), p.proposedByName(), List.of(Role.ADMIN.name()));
                Map<String, Object> outcome;
                try {
                    outcome = applier.apply(p.kind(), proposer, p.payload(), p.id().toString(), correlationId);
                } catch (WalletException refused) {
                    throw new NoLongerApplies(refused);
                }
                store.decide(changeId, PendingChange.Status.APPLIED, approver.userId(), now, note, outcome);
                audit.appendInTransaction(approver.actor(), "CHANGE_APPROVED", AuditPayload.of(json, "changeId",
                        changeId.toString(), "kind", p.kind(), "proposedBy", p.proposedByName(), "comment", note,
                        "correlationId", correlationId));
                return store.find(changeId, false).orElseThrow();
            });
        } catch (NoLongerApplies e) {
            // the change no longer applies: it is closed as FAILED with the reason, and the approver told why
            String reason = e.refusal.getMessage();
            fail(approver, changeId, reason, now, correlationId);
            throw new WalletException(Kind.CONFLICT, "The change could not be applied and is closed as FAILED: "
                    + reason);
        }
    }

    /**
     * The feature refused to apply the change (the wallet is gone, the role already held): the approval's
     * transaction is rolled back and the change closed as FAILED. A refusal of the decision itself (not an ADMIN,
     * the proposer, already decided, no such change) is not this: it leaves the change as it was.
     */
    private static final class NoLongerApplies extends RuntimeException {
        final WalletException refusal;

        NoLongerApplies(WalletException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }

    public PendingChange reject(Caller caller, String id, String comment, String correlationId) {
        if (!caller.isAdmin()) {
            throw new WalletException(Kind.FORBIDDEN, "Only an ADMIN rejects a change to the controls.");
        }
        UUID changeId = changeId(id);
        String note = comment(comment);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return transactions.inTransaction(() -> {
            PendingChange p = pending(changeId);
            store.decide(changeId, PendingChange.Status.REJECTED, caller.userId(), now, note, null);
            audit.appendInTransaction(caller.actor(), "CHANGE_REJECTED", AuditPayload.of(json, "changeId",
                    changeId.toString(), "kind", p.kind(), "proposedBy", p.proposedByName(), "withdrawn",
                    p.proposedBy().equals(caller.userId()), "comment", note, "correlationId", correlationId));
            return store.find(changeId, false).orElseThrow();
        });
    }

    private void fail(Caller approver, UUID changeId, String reason, Instant now, String correlationId) {
        transactions.inTransaction(() -> {
            PendingChange p = pending(changeId);
            store.decide(changeId, PendingChange.Status.FAILED, approver.userId(), now, null,
                    Map.of("reason", reason));
            audit.appendInTransaction(approver.actor(), "CHANGE_FAILED", AuditPayload.of(json, "changeId",
                    changeId.toString(), "kind", p.kind(), "reason", reason, "correlationId", correlationId));
            return null;
        });
    }

    private PendingChange pending(UUID changeId) {
        PendingChange p = store.find(changeId, true).orElseThrow(ChangeDecisions::noSuchChange);
        if (p.status() != PendingChange.Status.PENDING) {
            throw new WalletException(Kind.CONFLICT, "This change was already decided (" + p.status() + ").");
        }
        return p;
    }

    private static String comment(String comment) {
        String c = comment == null || comment.isBlank() ? null : comment.strip();
        if (c != null && (c.length() > 500 || c.codePoints().anyMatch(Character::isISOControl))) {
            throw new WalletException(Kind.INVALID_REQUEST, "comment: up to 500 characters, no control characters");
        }
        return c;
    }

    private static void requireReader(Caller caller) {
        if (caller.bankRoles().stream().noneMatch(READERS::contains)) {
            throw new WalletException(Kind.FORBIDDEN, "Changes to the controls are for ADMIN, COMPLIANCE and "
                    + "OPERATOR.");
        }
    }

    private static UUID changeId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw noSuchChange();
        }
    }

    private static WalletException noSuchChange() {
        return new WalletException(Kind.NOT_FOUND, "No such change.");
    }
}
