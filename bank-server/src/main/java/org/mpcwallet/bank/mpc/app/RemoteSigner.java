package org.mpcwallet.bank.mpc.app;

import org.mpcwallet.signer.gateway.SignerGateway;

/** Connects to a remote bank-signer over mutual TLS (BANK_SIGNER_URL). */
final class RemoteSigner {
    private RemoteSigner() {
    }

    static SignerGateway connect(SignerConfig config) {
        throw new IllegalStateException("BANK_SIGNER_URL: the remote signer client is not available yet");
    }
}
