package org.mpcwallet.bank.mpc.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Locale;
import org.mpcwallet.bank.mpc.app.IncidentService;
import org.mpcwallet.bank.mpc.app.RotationService;
import org.mpcwallet.bank.pipeline.transfer.persistence.WalletRotation;

/** Incidents and key refresh authorization for ADMIN (and COMPLIANCE, read only). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Key incidents and rotation", description = "Key incidents, refresh authorizations, rotations and sweeps (ADMIN, staff).")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/admin")
@Secured({"ADMIN", "COMPLIANCE"})
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminMpcController {

    @Serdeable
    record RefreshBody(@Nullable String reason) {
    }

    @Serdeable
    record AuthorizationResponse(String id, String walletId, String reason, String expiresAt) {
    }

    @Serdeable
    record IncidentResponse(String id, String kind, @Nullable String walletId, @Nullable String keysetId,
                            @Nullable String sessionId, String detail, String status, String createdAt,
                            @Nullable String resolvedAt) {
    }

    @Serdeable
    record RotationResponse(String walletId, String newWalletId, String reason, String authorizedBy,
                            String createdAt, @Nullable String retiredAt) {
    }

    @Serdeable
    record SweepResponse(String walletId, String newWalletId, String to, List<String> txRequestIds,
                         boolean retired) {
    }

    private final IncidentService incidents;
    private final RotationService rotations;

    AdminMpcController(IncidentService incidents, RotationService rotations) {
        this.incidents = incidents;
        this.rotations = rotations;
    }

    /** A successor wallet for a wallet whose key locked. Step 1 of docs/key-rotation.md. */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("key.rotate")
    @Post("/wallets/{id}/rotate")
    @Secured({"ADMIN"})
    HttpResponse<RotationResponse> rotate(@PathVariable String id, @Body RefreshBody body, Authentication auth) {
        return HttpResponse.created(rotation(call(() -> rotations.rotate(caller(auth), id, body.reason()))));
    }

    @Get("/wallets/{id}/rotation")
    RotationResponse rotation(@PathVariable String id, Authentication auth) {
        return rotation(call(() -> rotations.rotation(caller(auth), id)).orElseThrow(() ->
                new HttpStatusException(HttpStatus.NOT_FOUND, "the wallet is not rotated")));
    }

    /** The sweep requests, once the successor is ACTIVE. Step 3 of docs/key-rotation.md. */
    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("key.sweep")
    @Post("/wallets/{id}/sweep")
    @Secured({"ADMIN"})
    HttpResponse<SweepResponse> sweep(@PathVariable String id, Authentication auth) {
        RotationService.Sweep s = call(() -> rotations.sweep(caller(auth), id));
        return HttpResponse.created(new SweepResponse(s.oldWalletId().toString(), s.newWalletId().toString(), s.to(),
                s.txRequestIds().stream().map(Object::toString).toList(), s.retired()));
    }

    private static RotationResponse rotation(WalletRotation r) {
        return new RotationResponse(r.oldWalletId().toString(), r.newWalletId().toString(), r.reason(),
                r.authorizedBy().toString(), r.createdAt().toString(), str(r.retiredAt()));
    }

    /** A page of key incidents, oldest first. Paging: docs/integration.md "Pagination". */
    @Get("/incidents{?status,walletId,createdFrom,createdTo,cursor,limit}")
    org.mpcwallet.bank.web.PageResponse<IncidentResponse> list(@Nullable @QueryValue String status,
                                                               @Nullable @QueryValue String walletId,
                                                               @Nullable @QueryValue String createdFrom,
                                                               @Nullable @QueryValue String createdTo,
                                                               @Nullable @QueryValue String cursor,
                                                               @Nullable @QueryValue Integer limit,
                                                               Authentication auth) {
        String st = status == null || status.isBlank() ? null : status.strip().toUpperCase(Locale.ROOT);
        if (st != null && !st.equals("OPEN") && !st.equals("RESOLVED")) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "status must be OPEN or RESOLVED");
        }
        return org.mpcwallet.bank.web.PageResponse.of(call(() -> incidents.list(caller(auth), st, walletId, createdFrom,
                createdTo, cursor, limit)),
                i -> new IncidentResponse(i.id().toString(), i.kind(), str(i.walletId()), i.keysetId(),
                        str(i.sessionId()), i.detail(), i.status(), i.createdAt().toString(),
                        i.resolvedAt() == null ? null : i.resolvedAt().toString()));
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("key.refresh")
    @Post("/wallets/{id}/refresh")
    @Secured({"ADMIN"})
    HttpResponse<AuthorizationResponse> authorizeRefresh(@PathVariable String id, @Body RefreshBody body,
                                                         Authentication auth) {
        IncidentService.RefreshAuthorization a = call(() -> incidents.authorizeRefresh(caller(auth), id,
                body.reason()));
        return HttpResponse.created(new AuthorizationResponse(a.id().toString(), a.walletId().toString(),
                a.reason(), a.expiresAt().toString()));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
