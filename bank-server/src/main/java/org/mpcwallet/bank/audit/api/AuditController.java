package org.mpcwallet.bank.audit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.domain.ChainVerification;

/** {@code GET /v1/audit/verify}: walks the audit chain. */
@Secured({"ADMIN", "COMPLIANCE"})
@io.swagger.v3.oas.annotations.tags.Tag(name = "Audit", description = "The hash-chained audit log (ADMIN, COMPLIANCE).")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    /** {@code firstBrokenSeq} and {@code reason} are null when the chain verifies. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record VerifyResponse(boolean ok, long count, @Nullable Long firstBrokenSeq, @Nullable String reason) {
    }

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Serdeable
    record EventResponse(long seq, String occurredAt, String actor, String type, String payload, String hash) {
    }

    @Serdeable
    record PackageResponse(String txRequestId, int count, boolean intact, String packageHash,
                           java.util.List<EventResponse> events) {
    }

    /** Every audit event of one transaction request, with a package hash (404 when there is none). */
    @Get("/packages/{txRequestId}")
    PackageResponse auditPackage(@io.micronaut.http.annotation.PathVariable String txRequestId) {
        try {
            java.util.UUID.fromString(txRequestId);
        } catch (IllegalArgumentException e) {
            throw new io.micronaut.http.exceptions.HttpStatusException(io.micronaut.http.HttpStatus.NOT_FOUND,
                    "No such transaction request.");
        }
        org.mpcwallet.bank.audit.domain.AuditPackage p = auditLog.packageOf(txRequestId);
        if (p.events().isEmpty()) {
            throw new io.micronaut.http.exceptions.HttpStatusException(io.micronaut.http.HttpStatus.NOT_FOUND,
                    "No such transaction request.");
        }
        return new PackageResponse(txRequestId, p.events().size(), p.intact(), p.packageHash(), p.events().stream()
                .map(e -> new EventResponse(e.seq(), e.occurredAt().toString(), e.actor(), e.type(), e.payload(),
                        e.hash().hex())).toList());
    }

    @Serdeable
    record ChainEventResponse(long seq, String occurredAt, String actor, String type, String payload,
                              String prevHash, String hash) {
    }

    /**
     * The chain for export, a page at a time in seq order. Paging: docs/integration.md "Pagination"; each event with
     * the exact payload text that was hashed and both hashes, so a receiver recomputes every link. Filters: from a
     * sequence number, an event type, an actor exactly as recorded ({@code user:alice}, {@code api:core-banking}),
     * and the time the event was recorded ({@code from} inclusive, {@code to} exclusive, ISO-8601 instants).
     */
    @Get("/events{?fromSeq,type,actor,from,to,cursor,limit}")
    org.mpcwallet.bank.web.PageResponse<ChainEventResponse> events(
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue Long fromSeq,
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String type,
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String actor,
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String from,
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String to,
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String cursor,
            @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue Integer limit) {
        String who = actor == null || actor.isBlank() ? null : actor.strip();
        if (who != null && (who.length() > 200 || who.codePoints().anyMatch(Character::isISOControl))) {
            throw badRequest("actor: up to 200 characters, as recorded (e.g. user:alice)");
        }
        AuditLog.EventFilter filter = new AuditLog.EventFilter(fromSeq, type, who, instant("from", from),
                instant("to", to));
        org.mpcwallet.bank.paging.Page<org.mpcwallet.bank.audit.domain.AuditEvent> page;
        try {
            page = org.mpcwallet.bank.web.ApiCalls.call(() -> auditLog.events(filter, cursor, limit));
        } catch (IllegalArgumentException e) {
            throw badRequest("type must be an audit event type like TX_STATUS_CHANGED");
        }
        return org.mpcwallet.bank.web.PageResponse.of(page, e -> new ChainEventResponse(e.seq(),
                e.occurredAt().toString(), e.actor(), e.type(), e.payload(), e.prevHash().hex(), e.hash().hex()));
    }

    private static final java.time.Instant EARLIEST = java.time.Instant.EPOCH;
    private static final java.time.Instant LATEST = java.time.Instant.parse("9999-12-31T23:59:59Z");

    private static java.time.Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        java.time.Instant t;
        try {
            t = java.time.Instant.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw badRequest(name + " must be an ISO-8601 instant like 2026-12-07T09:00:00Z");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw badRequest(name + " must be between the years 1970 and 9999");
        }
        return t;
    }

    private static io.micronaut.http.exceptions.HttpStatusException badRequest(String detail) {
        return new io.micronaut.http.exceptions.HttpStatusException(io.micronaut.http.HttpStatus.BAD_REQUEST, detail);
    }

    @Get("/verify")
    VerifyResponse verify() {
        ChainVerification v = auditLog.verify();
        return new VerifyResponse(v.ok(), v.count(), v.firstBrokenSeq(), v.reason());
    }
}
