package org.mpcwallet.bank.web;

import io.micronaut.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * The client address that per-address limits count (docs/controls-hardening.md §4): the TCP peer. Behind a reverse
 * proxy every client would share the proxy's address; set {@code micronaut.server.client-address-header} (for
 * example {@code X-Forwarded-For}) only when the proxy overwrites that header, or clients could pick their address.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
