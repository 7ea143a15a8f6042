package org.mpcwallet.bank.integration.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.auth.domain.Role;

/**
 * Which audit events are webhook events, and what they say (docs/integration.md "Webhooks"): a pure mapping from an
 * audit event's type and payload to the webhook event's type, the entity it is about (events of one entity are
 * delivered in order), the wallet it concerns (for the visibility rule) and its {@code data}.
 */
public final class WebhookEvents {
    public static final String TRANSFER_STATE_CHANGED = "transfer.state_changed";

    /** Every event type a subscription may name, in the order the guide lists them. */
    public static final List<String> TYPES = List.of(TRANSFER_STATE_CHANGED, "deposit.detected",
            "deposit.confirmed", "deposit.reorged", "deposit.held", "kyt_case.opened", "kyt_case.resolved",
            "key.locked", "key.refreshed", "key.retired", "wallet.created", "wallet.active", "wallet.failed");

    /** The audit event types {@link #of} may turn into a webhook event (others are skipped unread). */
    public static final java.util.Set<String> AUDIT_TYPES = java.util.Set.of("TX_SUBMITTED", "TX_STATUS_CHANGED",
            "DEPOSIT_DETECTED", "DEPOSIT_CONFIRMED", "DEPOSIT_REORGED", "DEPOSIT_KYT_EVALUATED", "KYT_CASE_OPENED",
            "KYT_CASE_RESOLVED", "KEY_LOCKED", "KEY_REFRESHED", "WALLET_RETIRED", "WALLET_CREATED",
            "WALLET_ACTIVATED", "WALLET_KEYGEN_FAILED");

    /** KYT cases: only clients with these bank roles receive them (the rule of {@code /v1/cases}). */
    public static final List<String> CASE_ROLES = List.of(Role.ADMIN.name(), Role.COMPLIANCE.name());

    /** A webhook event: {@code walletId} is null for events no wallet owns (KYT cases). */
    public record Outgoing(String type, String entity, UUID walletId, Map<String, Object> data) {
    }

    private WebhookEvents() {
    }

    /** The webhook event the audit event {@code auditType} with {@code payload} is, or empty when it is none. */
    public static Optional<Outgoing> of(String auditType, Map<String, Object> payload) {
        if (!AUDIT_TYPES.contains(auditType)) {
            return Optional.empty(); // the one list of what is a webhook event (the outbox skips the rest unread)
        }
        Map<String, Object> data = new LinkedHashMap<>(payload);
        return switch (auditType) {
            case "TX_SUBMITTED" -> {
                data.put("previousState", null);
                data.put("state", "SUBMITTED");
                yield by(TRANSFER_STATE_CHANGED, "transfer", "txRequestId", data);
            }
            case "TX_STATUS_CHANGED" -> {
                data.put("previousState", payload.get("from"));
                data.put("state", payload.get("to"));
                yield by(TRANSFER_STATE_CHANGED, "transfer", "txRequestId", data);
            }
            case "DEPOSIT_DETECTED" -> by("deposit.detected", "deposit", "depositId", data);
            case "DEPOSIT_CONFIRMED" -> by("deposit.confirmed", "deposit", "depositId", data);
            case "DEPOSIT_REORGED" -> by("deposit.reorged", "deposit", "depositId", data);
            case "DEPOSIT_KYT_EVALUATED" -> "ALLOW".equals(payload.get("verdict")) ? Optional.empty()
                    : by("deposit.held", "deposit", "depositId", data);
            case "KYT_CASE_OPENED" -> by("kyt_case.opened", "kyt_case", "caseId", data);
            case "KYT_CASE_RESOLVED" -> by("kyt_case.resolved", "kyt_case", "caseId", data);
            case "KEY_LOCKED" -> by("key.locked", "wallet", "walletId", data);
            case "KEY_REFRESHED" -> by("key.refreshed", "wallet", "walletId", data);
            case "WALLET_RETIRED" -> by("key.retired", "wallet", "walletId", data);
            case "WALLET_CREATED" -> by("wallet.created", "wallet", "walletId", data);
            case "WALLET_ACTIVATED" -> by("wallet.active", "wallet", "walletId", data);
            case "WALLET_KEYGEN_FAILED" -> by("wallet.failed", "wallet", "walletId", data);
            default -> Optional.empty();
        };
    }

    /** Whether a subscription's event type names are all known; the first unknown one, else null. */
    public static String firstUnknown(List<String> types) {
        for (String t : types) {
            if (!TYPES.contains(t)) {
                return t;
            }
        }
        return null;
    }

    private static Optional<Outgoing> by(String type, String kind, String idField, Map<String, Object> data) {
        Object id = data.get(idField);
        if (!(id instanceof String s) || s.isEmpty()) {
            return Optional.empty(); // an audit payload without its entity id reports nothing one could follow
        }
        return Optional.of(new Outgoing(type, kind + ":" + s, walletOf(data.get("walletId")), data));
    }

    private static UUID walletOf(Object v) {
        if (v instanceof String s) {
            try {
                return UUID.fromString(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
