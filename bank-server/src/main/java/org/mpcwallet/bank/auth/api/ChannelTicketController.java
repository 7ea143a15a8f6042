package org.mpcwallet.bank.auth.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.mpcwallet.bank.auth.app.AuthService;
import org.mpcwallet.bank.auth.app.ChannelTickets;
import org.mpcwallet.bank.web.ApiCalls;

/**
 * {@code POST /v1/mpc/tickets} (docs/browser-wallet.md): a single-use ticket, valid 30 seconds, that admits one
 * WebSocket upgrade {@code GET /v1/mpc/ws?ticket=...} as the caller. For clients that cannot set the Authorization
 * header on an upgrade (browsers); the desktop keeps sending its bearer token.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Authentication", description = "Sign-in, tokens and WebSocket tickets.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/mpc/tickets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_AUTHENTICATED)
class ChannelTicketController {

    @Serdeable
    record TicketResponse(String ticket, String expiresAt, String path) {
        @Override
        public String toString() {
            return "TicketResponse[(redacted), expiresAt=" + expiresAt + "]";
        }
    }

    private final ChannelTickets tickets;

    ChannelTicketController(ChannelTickets tickets) {
        this.tickets = tickets;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post
    HttpResponse<TicketResponse> issue(Authentication auth) {
        var caller = ApiCalls.caller(auth);
        if (!(auth.getAttributes().get(AuthService.CLAIM_VERSION) instanceof Number version)) {
            throw new HttpStatusException(HttpStatus.UNAUTHORIZED, "Unauthorized");
        }
        ChannelTickets.Issued t = tickets.issue(caller.userId(), version.longValue());
        return HttpResponse.created(new TicketResponse(t.ticket(), t.expiresAt().toString(),
                "/v1/mpc/ws?ticket=" + t.ticket()));
    }
}
