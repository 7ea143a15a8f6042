package org.mpcwallet.bank.mpc.app;

import java.net.URI;
import java.nio.file.Path;
import org.mpcwallet.signer.gateway.RemoteSignerGateway;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects to a remote bank-signer over mutual TLS (BANK_SIGNER_URL; docs/bank-signer.md "Signer service"). */
final class RemoteSigner {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSigner.class);

    private RemoteSigner() {
    }

    static SignerGateway connect(SignerConfig config) {
        char[] keyPw = password(config.keystorePassword());
        char[] trustPw = password(config.truststorePassword());
        SignerGateway gateway = RemoteSignerGateway.create(URI.create(config.url()), Path.of(config.keystore()),
                keyPw, Path.of(config.truststore()), trustPw);
        java.util.Arrays.fill(keyPw, '\0');
        java.util.Arrays.fill(trustPw, '\0');
        LOG.info("signer: remote at {} (mutual TLS, client certificate from {})", config.url(), config.keystore());
        return gateway;
    }

    private static char[] password(String value) {
        return value == null ? new char[0] : value.toCharArray();
    }
}
