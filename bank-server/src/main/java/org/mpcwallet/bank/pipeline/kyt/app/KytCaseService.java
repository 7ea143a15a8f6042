package org.mpcwallet.bank.pipeline.kyt.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCase.Status;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCase;
import org.mpcwallet.bank.pipeline.kyt.persistence.KytCaseRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletException;

/**
 * KYT cases (docs/custody-pipeline.md "Controls"): opened when screening answers REVIEW (outbound requests and
 * inbound deposits), listed and resolved ALLOW/BLOCK by COMPLIANCE; a resolved case is final. Audited
 * KYT_CASE_OPENED and KYT_CASE_RESOLVED.
 */
@Singleton
public class KytCaseService {
    private final TransactionRunner transactions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final KytCaseRepository caseRows;

    public KytCaseService(TransactionRunner transactions, AuditLog audit, JsonMapper json, KytCaseRepository caseRows) {
        this.transactions = transactions;
        this.audit = audit;
        this.json = json;
        this.caseRows = caseRows;
    }

    /** Opens a case in the caller's transaction (exactly one of txRequestId / depositId). */
    public UUID open(String address, String direction, UUID txRequestId, UUID depositId, String reason,
                     String provider) throws SQLException {
        UUID id = UUID.randomUUID();
        caseRows.insertOpen(id, address, direction, txRequestId, depositId, reason, provider, now());
        audit.appendInTransaction("system:kyt", "KYT_CASE_OPENED", AuditPayload.of(json, "caseId", id.toString(),
                "address", address, "direction", direction, "txRequestId",
                txRequestId == null ? null : txRequestId.toString(), "depositId",
                depositId == null ? null : depositId.toString(), "reason", reason, "provider", provider));
        return id;
    }

    /** A page of cases, oldest first; filters: status, creation time (docs/integration.md "Pagination"). */
    public org.mpcwallet.bank.paging.Page<KytCase> list(Caller caller, String status, String createdFrom,
                                                        String createdTo, String cursor, Integer limit) {
        requireReader(caller);
        Status st = status == null || status.isBlank() ? null : parse(status);
        java.time.Instant from = org.mpcwallet.bank.paging.Cursors.instant("createdFrom", createdFrom);
        java.time.Instant to = org.mpcwallet.bank.paging.Cursors.instant("createdTo", createdTo);
        int n = org.mpcwallet.bank.paging.Cursors.limit(limit);
        org.mpcwallet.bank.paging.Cursors.TimeKey after = org.mpcwallet.bank.paging.Cursors.timeKey("kyt-cases",
                cursor);
        return transactions.inTransaction(() -> org.mpcwallet.bank.paging.Page.of(caseRows.page(st, from, to,
                after, n), n, k ->
                org.mpcwallet.bank.paging.Cursors.timeCursor("kyt-cases", k.createdAt(), k.id())));
    }

    public KytCase get(Caller caller, String id) {
        requireReader(caller);
        return transactions.inTransaction(() -> find(parseId(id), false));
    }

    /** COMPLIANCE (or ADMIN) resolves an OPEN case: ALLOW or BLOCK with a comment. */
    public KytCase resolve(Caller caller, String id, String decision, String comment) {
        if (!caller.bankRoles().contains(Role.COMPLIANCE) && !caller.bankRoles().contains(Role.ADMIN)) {
            throw new WalletException(Kind.FORBIDDEN, "Only COMPLIANCE resolves KYT cases.");
        }
        String d = decision == null ? "" : decision.strip().toUpperCase(Locale.ROOT);
        if (!d.equals("ALLOW") && !d.equals("BLOCK")) {
            throw new WalletException(Kind.INVALID_REQUEST, "decision must be ALLOW or BLOCK");
        }
        String note = comment == null ? "" : comment.strip();
        if (note.isEmpty() || note.length() > 500) {
            throw new WalletException(Kind.INVALID_REQUEST, "comment is required (1-500 characters)");
        }
        return transactions.inTransaction(() -> {
            KytCase k = find(parseId(id), true);
            if (k.status() != Status.OPEN) {
                throw new WalletException(Kind.CONFLICT, "The case is already " + k.status() + ".");
            }
            caseRows.resolve(k.id(), d.equals("ALLOW") ? Status.ALLOWED : Status.BLOCKED, now(),
                    caller.userId(), note);
            audit.appendInTransaction(caller.actor(), "KYT_CASE_RESOLVED", AuditPayload.of(json, "caseId",
                    k.id().toString(), "decision", d, "comment", note, "txRequestId", k.txRequestId() == null ? null
                            : k.txRequestId().toString(), "depositId", k.depositId() == null ? null
                            : k.depositId().toString()));
            return find(k.id(), false);
        });
    }

    /** The case, optionally row-locked (no access check); NOT_FOUND if there is none. */
    private KytCase find(UUID id, boolean forUpdate) {
        return (forUpdate ? caseRows.lock(id) : caseRows.find(id)).orElseThrow(() -> new WalletException(
                Kind.NOT_FOUND, "No such case."));
    }

    private static void requireReader(Caller caller) {
        if (!caller.bankRoles().contains(Role.COMPLIANCE) && !caller.bankRoles().contains(Role.ADMIN)) {
            throw new WalletException(Kind.FORBIDDEN, "KYT cases are for COMPLIANCE and ADMIN.");
        }
    }

    private static Status parse(String status) {
        try {
            return Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new WalletException(Kind.INVALID_REQUEST, "status must be OPEN, ALLOWED or BLOCKED");
        }
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WalletException(Kind.NOT_FOUND, "No such case.");
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

}
