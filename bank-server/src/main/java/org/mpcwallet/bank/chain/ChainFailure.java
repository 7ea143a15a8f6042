package org.mpcwallet.bank.chain;

import java.util.Objects;

/**
 * Why a call to the node did not give a usable answer. Carries no request body, raw transaction or RPC URL path.
 *
 * @param kind    what went wrong
 * @param method  the JSON-RPC method (e.g. {@code eth_sendRawTransaction})
 * @param code    the HTTP status for {@link Kind#HTTP_STATUS}, the JSON-RPC error code for {@link Kind#NODE_ERROR},
 *                0 otherwise
 * @param message a short human-readable reason (the node's error message for {@link Kind#NODE_ERROR})
 */
public record ChainFailure(Kind kind, String method, int code, String message) {
    /** Longest message kept; node messages are truncated to it. */
    static final int MAX_MESSAGE = 300;

    /** What went wrong. */
    public enum Kind {
        /** Connection refused or reset, timeout, DNS: the request may not have reached the node. */
        IO,
        /** The node (or a proxy in front of it) answered with a non-2xx HTTP status. */
        HTTP_STATUS,
        /** A JSON-RPC error object: the node understood and refused. */
        NODE_ERROR,
        /** An answer that could not be parsed or lacked a required field. */
        BAD_RESPONSE
    }

    public ChainFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        message = message == null ? "" : message.strip();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
    }

    /**
     * Whether retrying the same call later may succeed without changing it: I/O, HTTP 5xx and 429, and the
     * JSON-RPC "limit exceeded" code -32005 (EIP-1474). A node error otherwise is an answer, not an outage.
     */
    public boolean isTransient() {
        return switch (kind) {
            case IO -> true;
            case HTTP_STATUS -> code == 429 || code >= 500;
            case NODE_ERROR -> code == -32005;
            case BAD_RESPONSE -> false;
        };
    }

    @Override
    public String toString() {
        return method + " failed (" + kind + (code != 0 ? " " + code : "") + "): " + message;
    }
}
