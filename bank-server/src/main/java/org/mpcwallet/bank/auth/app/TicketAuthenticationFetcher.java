package org.mpcwallet.bank.auth.app;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.mpcwallet.bank.web.ClientAddress;
import org.reactivestreams.Publisher;

/**
 * Authenticates the MPC channel's WebSocket upgrade {@code GET /v1/mpc/ws?ticket=...} with a single-use ticket
 * ({@link ChannelTickets}) instead of a bearer header, which browsers cannot send on an upgrade. Only that path and
 * only the {@code ticket} parameter; a refused ticket yields no authentication, so the upgrade gets 401 before it
 * happens. The database work runs on the blocking executor, never on the event loop.
 */
@Singleton
class TicketAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    static final String PATH = "/v1/mpc/ws";
    static final String PARAMETER = "ticket";

    private final ChannelTickets tickets;
    private final ExecutorService blocking;

    TicketAuthenticationFetcher(ChannelTickets tickets, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.tickets = tickets;
        this.blocking = blocking;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        if (!PATH.equals(request.getPath())) {
            return Publishers.empty();
        }
        String ticket = request.getParameters().get(PARAMETER);
        if (ticket == null) {
            return Publishers.empty();
        }
        String address = ClientAddress.of(request);
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(
                () -> tickets.redeem(ticket, address).orElse(null), blocking));
    }
}
