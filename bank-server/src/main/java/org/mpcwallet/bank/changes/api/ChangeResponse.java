package org.mpcwallet.bank.changes.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;
import org.mpcwallet.bank.changes.app.PendingChange;

/**
 * A change to the controls as the API shows it: what was proposed ({@code kind}, {@code summary}, {@code payload}),
 * by whom and when, and — once decided — by whom, when, with what comment and {@code outcome}. The answer, with 202,
 * of every request that a second ADMIN must approve.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ChangeResponse(String id, String kind, String status, String summary, Map<String, Object> payload,
                             String proposedBy, String proposedById, String createdAt, @Nullable String decidedBy,
                             @Nullable String decidedAt, @Nullable String comment,
                             @Nullable Map<String, Object> outcome) {

    /** 202 with the change, {@code Location} its address: the answer of a request that a second ADMIN approves. */
    public static io.micronaut.http.HttpResponse<ChangeResponse> accepted(PendingChange p) {
        return io.micronaut.http.HttpResponse.<ChangeResponse>accepted(java.net.URI.create("/v1/admin/changes/"
                + p.id())).body(of(p));
    }

    public static ChangeResponse of(PendingChange p) {
        return new ChangeResponse(p.id().toString(), p.kind(), p.status().name(), p.summary(), p.payload(),
                p.proposedByName(), p.proposedBy().toString(), p.createdAt().toString(), p.decidedByName(),
                p.decidedAt() == null ? null : p.decidedAt().toString(), p.comment(), p.outcome());
    }
}
