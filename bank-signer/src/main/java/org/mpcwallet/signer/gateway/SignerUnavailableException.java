package org.mpcwallet.signer.gateway;

/** The signer could not be reached or answered outside the gateway protocol; nothing is known to have happened. */
public final class SignerUnavailableException extends RuntimeException {
    public SignerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SignerUnavailableException(String message) {
        super(message);
    }
}
