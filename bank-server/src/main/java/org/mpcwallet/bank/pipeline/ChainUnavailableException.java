package org.mpcwallet.bank.pipeline;


/**
 * The Ethereum node could not answer a read a request needs (balances, a token check). The message names the
 * JSON-RPC method and the failure kind, never the RPC URL; the API answers 502 with a fixed problem detail.
 */
public final class ChainUnavailableException extends RuntimeException {
    public ChainUnavailableException(String message) {
        super(message, null, false, false);
    }
}
