package org.mpcwallet.signer.service;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.mpcwallet.signer.gateway.RemoteSignerGateway;
import org.mpcwallet.signer.tls.MutualTls;

/** One set of development certificates (a CA, the signer's and bank-server's certificates) in a directory. */
record TlsFixture(DevCerts.Stores stores, char[] password) {
    static final String PASSWORD = "test-store-pw";

    static TlsFixture create(Path dir) throws IOException {
        return new TlsFixture(DevCerts.create(dir, PASSWORD.toCharArray()), PASSWORD.toCharArray());
    }

    /** The signer's server context: its own certificate, trusting client certificates of {@code clientCa}. */
    SSLContext serverContext(TlsFixture clientCa) throws MutualTls.TlsSetupException {
        return MutualTls.context(stores.signerKeystore(), password, clientCa.stores.truststore(), password);
    }

    SSLContext serverContext() throws MutualTls.TlsSetupException {
        return serverContext(this);
    }

    /** bank-server's client context: its own client certificate, trusting the signer certificates of {@code ca}. */
    SSLContext clientContext(TlsFixture ca) throws MutualTls.TlsSetupException {
        return MutualTls.context(stores.clientKeystore(), password, ca.stores.truststore(), password);
    }

    static URI url(int port) {
        return URI.create("https://127.0.0.1:" + port);
    }

    RemoteSignerGateway remote(int port) throws MutualTls.TlsSetupException {
        return new RemoteSignerGateway(url(port), clientContext(this), Duration.ofSeconds(5), Duration.ofSeconds(60));
    }
}
