package org.mpcwallet.bank.integration.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.integration.app.ApiClients;
import org.mpcwallet.bank.web.strict.ChecksItsOwnText;

/**
 * {@code /v1/api-clients} (ADMIN; docs/integration.md "API clients"): register a client with its Ed25519 public key,
 * list, read, disable, rotate its key.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "API clients", description = "The bank systems that sign their requests (ADMIN).")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/api-clients")
@Secured({"ADMIN"})
@ExecuteOn(TaskExecutors.BLOCKING)
class ApiClientController {

    /** PEM carries line breaks; every field is checked by {@link ApiClients} (name and CIDR patterns, roles by name). */
    @Serdeable
    @ChecksItsOwnText
    record RegisterRequest(@Nullable String name, @Nullable String publicKey, @Nullable List<String> roles,
                           @Nullable List<String> allowedCidrs) {
    }

    @Serdeable
    @ChecksItsOwnText
    record RotateRequest(@Nullable String publicKey, @Nullable Long overlapSeconds) {
    }

    @Serdeable
    record KeyResponse(String id, String fingerprint, String createdAt, @Nullable String expiresAt) {
    }

    /** Every field present, empty lists and nulls included, as the OpenAPI document says. */
    @Serdeable
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    record ClientResponse(String id, String name, String userId, String username, List<String> roles,
                          List<String> allowedCidrs, List<KeyResponse> keys, String createdAt,
                          @Nullable String disabledAt, boolean disabled) {
        static ClientResponse of(ApiClients.Client c) {
            return new ClientResponse(c.id().toString(), c.name(), c.userId().toString(), c.username(), c.roles(),
                    c.allowedCidrs(), c.keys().stream().map(k -> new KeyResponse(k.id().toString(), k.fingerprint(),
                    k.createdAt().toString(), k.expiresAt() == null ? null : k.expiresAt().toString())).toList(),
                    c.createdAt().toString(), c.disabledAt() == null ? null : c.disabledAt().toString(),
                    c.disabledAt() != null);
        }
    }

    private final ApiClients clients;

    ApiClientController(ApiClients clients) {
        this.clients = clients;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("api_client.create")
    @Post
    HttpResponse<ClientResponse> register(@Body RegisterRequest body, Authentication auth) {
        return HttpResponse.created(ClientResponse.of(call(() -> clients.register(caller(auth), body.name(),
                body.publicKey(), body.roles(), body.allowedCidrs()))));
    }

    /** A page of clients in registration order. Paging: docs/integration.md "Pagination". */
    @Get("{?cursor,limit}")
    org.mpcwallet.bank.web.PageResponse<ClientResponse> list(@Nullable @io.micronaut.http.annotation.QueryValue
                                                             String cursor,
                                                             @Nullable @io.micronaut.http.annotation.QueryValue
                                                             Integer limit, Authentication auth) {
        return org.mpcwallet.bank.web.PageResponse.of(call(() -> clients.list(caller(auth), cursor, limit)),
                ClientResponse::of);
    }

    @Get("/{id}")
    ClientResponse get(@PathVariable String id, Authentication auth) {
        return ClientResponse.of(call(() -> clients.get(caller(auth), id)));
    }

    @org.mpcwallet.bank.web.RequiresStepUp("api_client.disable")
    @Post("/{id}/disable")
    ClientResponse disable(@PathVariable String id, Authentication auth) {
        return ClientResponse.of(call(() -> clients.disable(caller(auth), id)));
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @org.mpcwallet.bank.web.RequiresStepUp("api_client.keys")
    @Post("/{id}/keys")
    HttpResponse<ClientResponse> rotate(@PathVariable String id, @Body RotateRequest body, Authentication auth) {
        return HttpResponse.created(ClientResponse.of(call(() -> clients.rotate(caller(auth), id, body.publicKey(),
                body.overlapSeconds()))));
    }
}
