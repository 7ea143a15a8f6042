package org.mpcwallet.bank.pipeline.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.app.WalletService;

/**
 * KYT cases (docs/custody-pipeline.md "Controls"): opened when screening answers REVIEW (outbound requests and
 * inbound deposits), listed and resolved ALLOW/BLOCK by COMPLIANCE; a resolved case is final. Audited
 * KYT_CASE_OPENED and KYT_CASE_RESOLVED.
 */
@Singleton
public class KytCaseService {
    public enum Status { OPEN, ALLOWED, BLOCKED }

    public record KytCase(UUID id, String address, String direction, UUID txRequestId, UUID depositId, String reason,
                          String provider, Status status, Instant createdAt, Instant resolvedAt, UUID resolvedBy,
                          String resolution) {
    }

    private static final String COLUMNS = "id, address, direction, tx_request_id, deposit_id, reason, provider, "
            + "status, created_at, resolved_at, resolved_by, resolution";

    private final DataSource dataSource;
    private final AuditLog audit;
    private final JsonMapper json;

    public KytCaseService(DataSource dataSource, AuditLog audit, JsonMapper json) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.json = json;
    }

    /** Opens a case in the caller's transaction (exactly one of txRequestId / depositId). */
    public UUID open(Connection c, String address, String direction, UUID txRequestId, UUID depositId, String reason,
                     String provider) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("insert into kyt_cases (" + COLUMNS + ") values "
                + "(?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, null, null, null)")) {
            ps.setObject(1, id);
            ps.setString(2, address);
            ps.setString(3, direction);
            ps.setObject(4, txRequestId);
            ps.setObject(5, depositId);
            ps.setString(6, reason);
            ps.setString(7, provider);
            ps.setTimestamp(8, Timestamp.from(now()));
            ps.executeUpdate();
        }
        audit.append(c, "system:kyt", "KYT_CASE_OPENED", AuditPayload.of(json, "caseId", id.toString(), "address",
                address, "direction", direction, "txRequestId", txRequestId == null ? null : txRequestId.toString(),
                "depositId", depositId == null ? null : depositId.toString(), "reason", reason, "provider", provider));
        return id;
    }

    /**
     * The oldest INBOUND case holding {@code walletId}'s outgoing transfers: OPEN or BLOCKED, on a deposit to that
     * wallet that is not REORGED (docs/custody-pipeline.md "Hold on tainted funds"); empty if none.
     */
    public Optional<KytCase> inboundHold(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + prefixed("k.") + " from kyt_cases k join deposits d "
                + "on d.id = k.deposit_id where d.wallet_id = ? and k.direction = 'INBOUND' and k.status in ('OPEN', "
                + "'BLOCKED') and d.status <> 'REORGED' order by k.created_at, k.id limit 1")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static String prefixed(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    public List<KytCase> list(Caller caller, String status) {
        requireReader(caller);
        Status st = status == null || status.isBlank() ? null : parse(status);
        return tx(c -> {
            List<KytCase> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from kyt_cases "
                    + (st == null ? "" : "where status = ? ") + "order by created_at, id")) {
                if (st != null) {
                    ps.setString(1, st.name());
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

    public KytCase get(Caller caller, String id) {
        requireReader(caller);
        return tx(c -> find(c, parseId(id), false));
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
        return tx(c -> {
            KytCase k = find(c, parseId(id), true);
            if (k.status() != Status.OPEN) {
                throw new WalletException(Kind.CONFLICT, "The case is already " + k.status() + ".");
            }
            try (PreparedStatement ps = c.prepareStatement("update kyt_cases set status = ?, resolved_at = ?, "
                    + "resolved_by = ?, resolution = ? where id = ?")) {
                ps.setString(1, d.equals("ALLOW") ? "ALLOWED" : "BLOCKED");
                ps.setTimestamp(2, Timestamp.from(now()));
                ps.setObject(3, caller.userId());
                ps.setString(4, note);
                ps.setObject(5, k.id());
                ps.executeUpdate();
            }
            audit.append(c, caller.actor(), "KYT_CASE_RESOLVED", AuditPayload.of(json, "caseId", k.id().toString(),
                    "decision", d, "comment", note, "txRequestId", k.txRequestId() == null ? null
                            : k.txRequestId().toString(), "depositId", k.depositId() == null ? null
                            : k.depositId().toString()));
            return find(c, k.id(), false);
        });
    }

    /** The case, optionally row-locked (no access check). */
    public KytCase find(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from kyt_cases where id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new WalletException(Kind.NOT_FOUND, "No such case.");
                }
                return read(rs);
            }
        }
    }

    private static KytCase read(ResultSet rs) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new KytCase(rs.getObject("id", UUID.class), rs.getString("address"), rs.getString("direction"),
                rs.getObject("tx_request_id", UUID.class), rs.getObject("deposit_id", UUID.class),
                rs.getString("reason"), rs.getString("provider"), Status.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant(), resolved == null ? null : resolved.toInstant(),
                rs.getObject("resolved_by", UUID.class), rs.getString("resolution"));
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

    private <T> T tx(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, work, WalletService.WalletStoreException::new);
    }
}
