package org.mpcwallet.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.signer.BankSigner;
import org.mpcwallet.signer.gateway.LocalSignerGateway;
import org.mpcwallet.signer.gateway.RemoteSignerGateway;
import org.mpcwallet.signer.gateway.SignerUnavailableException;
import org.mpcwallet.signer.permit.InMemoryNonceLedger;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.testing.TestKeys;

/** Who may talk to whom: the handshake is mutual, TLS 1.3 only, and each side trusts only its own CA. */
class SignerServiceTlsTest {
    @TempDir
    static Path dir;
    /** The bank's development PKI. */
    private static TlsFixture bank;
    /** Another CA with its own signer and client certificates. */
    private static TlsFixture other;
    private static LocalSignerGateway gateway;
    private static SignerService service;

    @BeforeAll
    static void start() throws Exception {
        bank = TlsFixture.create(dir.resolve("bank"));
        other = TlsFixture.create(dir.resolve("other"));
        Clock clock = Clock.systemUTC();
        BankSigner signer = new BankSigner(KeyEncryptionKey.generate(TestKeys.random("tls-kek")),
                new PermitVerifier(PermitKeys.generate(TestKeys.random("tls-orch")).getPublic(), clock,
                        new InMemoryNonceLedger(clock)), (k, c) -> { }, TestKeys.bankParams());
        gateway = new LocalSignerGateway(signer, clock, Duration.ofMinutes(1), TestKeys.random("tls-gw"));
        service = SignerService.start(gateway, bank.serverContext(), new InetSocketAddress("127.0.0.1", 0), 2);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theBanksOwnClientIsServed() throws Exception {
        try (RemoteSignerGateway remote = bank.remote(service.port())) {
            assertTrue(remote.healthy());
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
        SSLContext noCert = SSLContext.getInstance("TLSv1.3");
        noCert.init(null, trustOnly(bank.stores().truststore()), null);
        IOException e = refusal(noCert);
        assertTrue(!(e instanceof SSLException) || e.getMessage().contains("certificate_required"), e::getMessage);
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        SSLContext foreign = other.clientContext(bank); // trusts the bank's signer, presents another CA's cert
        IOException e = refusal(foreign);
        assertTrue(!(e instanceof SSLException) || e.getMessage().contains("unknown_ca")
                || e.getMessage().contains("certificate_unknown") || e.getMessage().contains("bad_certificate"),
                e::getMessage);
        try (RemoteSignerGateway remote = new RemoteSignerGateway(TlsFixture.url(service.port()), foreign,
                Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            assertFalse(remote.healthy());
            assertThrows(SignerUnavailableException.class,
                    () -> remote.keygenStart("wallet-x", TestKeys.sid("foreign-client")));
        }
        assertEquals(0, gateway.runningSessions(), "nothing reached the signer");
    }

    @Test
    void aSignerCertificateFromAnotherCaIsRefusedByTheClient() throws Exception {
        // an impostor signer: another CA's server certificate, willing to accept the bank's client certificate
        try (SignerService impostor = SignerService.start(gateway, other.serverContext(bank),
                new InetSocketAddress("127.0.0.1", 0), 1);
                RemoteSignerGateway remote = bank.remote(impostor.port())) {
            assertFalse(remote.healthy());
            SignerUnavailableException e = assertThrows(SignerUnavailableException.class,
                    () -> remote.keygenStart("wallet-y", TestKeys.sid("impostor")));
            assertTrue(e.getMessage().contains("TLS"), e::getMessage);
            assertFalse(e.getMessage().contains(TlsFixture.PASSWORD));
        }
        assertEquals(0, gateway.runningSessions());
    }

    @Test
    void tls12IsRefusedEvenWithAValidCertificate() throws Exception {
        SSLContext ctx = bank.clientContext(bank);
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        // same key and trust material, a context that can speak TLS 1.2
        tls12.init(keyManagers(bank), trustOnly(bank.stores().truststore()), null);
        assertThrows(SSLException.class, () -> exchange(tls12, new String[] {"TLSv1.2"}));
        assertTrue(exchange(ctx, new String[] {"TLSv1.3"}).startsWith("HTTP/1.1 200"));
    }

    /**
     * The server's verdict on this client's certificate: TLS 1.3 sends it as an alert after the client's Finished,
     * so the client usually completes its side of the handshake and then reads the alert (an SSLException naming
     * it); when the server is quicker, it has closed the connection before the client's Finished is written (a
     * SocketException inside the handshake). Either way no HTTP is ever exchanged.
     */
    private static IOException refusal(SSLContext ctx) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", service.port())) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {"TLSv1.3"});
            IOException e = assertThrows(IOException.class, () -> {
                s.startHandshake();
                s.getInputStream().read();
            });
            assertTrue(e instanceof SSLException || e instanceof java.net.SocketException, e::toString);
            return e;
        }
    }

    /** One GET /health over a raw TLS socket; returns the response's first bytes. */
    private static String exchange(SSLContext ctx, String[] protocols) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", service.port())) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(protocols);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            if (head.length == 0) {
                throw new IOException("connection closed without an answer");
            }
            return new String(head, StandardCharsets.US_ASCII);
        }
    }

    private static javax.net.ssl.TrustManager[] trustOnly(Path truststore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(truststore)) {
            ks.load(in, TlsFixture.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static javax.net.ssl.KeyManager[] keyManagers(TlsFixture f) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(f.stores().clientKeystore())) {
            ks.load(in, TlsFixture.PASSWORD.toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, TlsFixture.PASSWORD.toCharArray());
        return kmf.getKeyManagers();
    }
}
