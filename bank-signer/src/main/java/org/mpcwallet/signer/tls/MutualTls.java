package org.mpcwallet.signer.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for the signer service and its client (docs/bank-signer.md "Signer service"): an {@link SSLContext}
 * from a PKCS#12 keystore holding this side's private key and certificate chain, and a PKCS#12 truststore holding
 * the CA certificate(s) that issue the other side's certificates. Both sides use TLS 1.3 only and always present
 * and verify certificates (mutual TLS). Errors name the file and what is wrong with it, never a password.
 */
public final class MutualTls {
    /** The only protocol either side speaks. */
    public static final String PROTOCOL = "TLSv1.3";

    private MutualTls() {}

    /** TLS material that could not be loaded; the message names the store and the problem. */
    public static final class TlsSetupException extends Exception {
        public TlsSetupException(String message) {
            super(message);
        }
    }

    /**
     * An SSLContext presenting the one private key in {@code keystore} and trusting exactly the certificates in
     * {@code truststore}. Passwords are only read, never kept or logged.
     */
    public static SSLContext context(Path keystore, char[] keystorePassword, Path truststore,
            char[] truststorePassword) throws TlsSetupException {
        KeyStore keys = load(keystore, keystorePassword, "keystore");
        KeyStore trust = load(truststore, truststorePassword, "truststore");
        try {
            int keyEntries = 0;
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.isKeyEntry(alias)) {
                    keyEntries++;
                }
            }
            if (keyEntries != 1) {
                throw new TlsSetupException("keystore " + keystore + " must hold exactly one private key entry (holds "
                        + keyEntries + ")");
            }
            int trusted = 0;
            for (String alias : Collections.list(trust.aliases())) {
                if (trust.isCertificateEntry(alias)) {
                    trusted++;
                }
            }
            if (trusted == 0) {
                throw new TlsSetupException("truststore " + truststore + " holds no trusted certificate");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            try {
                kmf.init(keys, keystorePassword);
            } catch (java.security.UnrecoverableKeyException e) {
                throw new TlsSetupException("keystore " + keystore
                        + ": the private key is not protected by the store password");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance(PROTOCOL);
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("TLS setup failed: " + e.getClass().getSimpleName());
        }
    }

    /** TLS 1.3 only, with the context's default cipher suites; {@code needClientAuth} for the server side. */
    public static SSLParameters parameters(SSLContext ctx, boolean needClientAuth) {
        SSLParameters p = ctx.getDefaultSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        if (needClientAuth) {
            p.setNeedClientAuth(true);
        }
        return p;
    }

    private static KeyStore load(Path file, char[] password, String what) throws TlsSetupException {
        if (file == null || password == null) {
            throw new TlsSetupException(what + " and its password are required");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(what + " " + file + " does not exist");
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new TlsSetupException(what + " " + file + ": wrong password");
            }
            throw new TlsSetupException(what + " " + file + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName()
                    + "; wrong password or not a PKCS#12 file)");
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(what + " " + file + " cannot be read as PKCS#12 ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
