package org.mpcwallet.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.RemoteSignerGateway;
import org.mpcwallet.signer.gateway.SignerUnavailableException;
import org.mpcwallet.signer.testing.TestKeys;
import org.mpcwallet.signer.tls.MutualTls;

/**
 * The client's failure handling against real TLS endpoints that do not behave like a signer: nothing listening,
 * an endpoint answering HTML or malformed replies, one that never answers.
 */
class RemoteSignerGatewayTest {
    @TempDir
    static Path dir;
    private static TlsFixture tls;
    /** What the fake endpoint answers: status, body; null body = hang for 5 s. */
    private static final AtomicReference<Object[]> ANSWER = new AtomicReference<>();
    private static HttpsServer fake;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFixture.create(dir);
        SSLContext ctx = tls.serverContext();
        fake = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        fake.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                params.setSSLParameters(MutualTls.parameters(ctx, true));
            }
        });
        fake.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                Object[] a = ANSWER.get();
                if (a[1] == null) {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders((Integer) a[0], body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        fake.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        fake.start();
    }

    @AfterAll
    static void stop() {
        if (fake != null) {
            fake.stop(0);
        }
    }

    private static RemoteSignerGateway toFake(Duration requestTimeout) throws MutualTls.TlsSetupException {
        return new RemoteSignerGateway(TlsFixture.url(fake.getAddress().getPort()), tls.clientContext(tls),
                Duration.ofSeconds(5), requestTimeout);
    }

    private static SignerUnavailableException unavailable(RemoteSignerGateway g) {
        return assertThrows(SignerUnavailableException.class, () -> g.keygenStart("w", TestKeys.sid("fake")));
    }

    @Test
    void nothingListeningIsUnavailableAndUnhealthy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (RemoteSignerGateway g = new RemoteSignerGateway(TlsFixture.url(port), tls.clientContext(tls),
                Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            SignerUnavailableException e = unavailable(g);
            assertTrue(e.getMessage().contains("cannot be reached"), e::getMessage);
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e::getMessage);
            assertFalse(g.healthy());
            assertThrows(SignerUnavailableException.class, () -> g.keyset("w"));
            assertThrows(SignerUnavailableException.class, () -> g.abandon("0011"));
        }
    }

    @Test
    void aNonJsonAnswerIsUnavailable() throws Exception {
        ANSWER.set(new Object[] {200, "<html>hello</html>"});
        try (RemoteSignerGateway g = toFake(Duration.ofSeconds(5))) {
            SignerUnavailableException e = unavailable(g);
            assertTrue(e.getMessage().contains("outside the gateway protocol"), e::getMessage);
            assertFalse(g.healthy());
        }
    }

    @Test
    void repliesAreDecodedStrictly() throws Exception {
        String ok = "{\"status\":\"FAILED\",\"handle\":null,\"outbound\":null,\"keyset\":null,\"signature\":null,"
                + "\"failureKind\":\"UNKNOWN_SESSION\",\"reason\":\"gone\",\"keyLocked\":false}";
        try (RemoteSignerGateway g = toFake(Duration.ofSeconds(5))) {
            ANSWER.set(new Object[] {200, ok});
            GatewayReply r = g.keygenStart("w", TestKeys.sid("fake"));
            assertEquals("gone", assertInstanceOf(GatewayReply.Failed.class, r).reason());
            String[] bad = {
                ok.replace("\"keyLocked\":false", "\"keyLocked\":\"false\""),             // wrong type
                ok.replace("}", ",\"extra\":1}"),                                          // unknown field
                ok.replace(",\"signature\":null", ""),                                     // missing field
                ok.replace("\"FAILED\"", "\"MAYBE\""),                                     // unknown status
                ok.replace("\"status\":\"FAILED\"", "\"status\":\"CONTINUE\""),           // CONTINUE, no handle
                ok.replace("\"outbound\":null", "\"outbound\":\"AQ\""),                    // unpadded base64
                ok.replace("\"handle\":null", "\"handle\":\"ab\""),                        // handle on a failure
                ok + " x",                                                                 // trailing data
                "{\"status\":\"DONE\",\"handle\":null,\"outbound\":null,\"keyset\":null,\"signature\":{\"r\":\""
                        + "00".repeat(32) + "\",\"s\":\"" + "01".repeat(32) + "\",\"recoveryId\":0},"
                        + "\"failureKind\":null,\"reason\":null,\"keyLocked\":false}",          // r = 0
            };
            for (String b : bad) {
                ANSWER.set(new Object[] {200, b});
                SignerUnavailableException e = unavailable(g);
                assertTrue(e.getMessage().contains("outside the gateway protocol"), () -> b + " -> " + e);
            }
        }
    }

    @Test
    void anHttpErrorIsUnavailableAndA400IsAnArgumentError() throws Exception {
        try (RemoteSignerGateway g = toFake(Duration.ofSeconds(5))) {
            ANSWER.set(new Object[] {500, "{\"error\":\"internal_error\",\"detail\":\"x\"}"});
            SignerUnavailableException e = unavailable(g);
            assertTrue(e.getMessage().contains("HTTP 500 (internal_error)"), e::getMessage);
            ANSWER.set(new Object[] {400, "{\"error\":\"malformed_request\",\"detail\":\"field k\"}"});
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                    () -> g.keygenStart("w", TestKeys.sid("fake")));
            assertTrue(iae.getMessage().contains("malformed_request: field k"), iae::getMessage);
        }
    }

    @Test
    void aSignerThatDoesNotAnswerInTimeIsUnavailable() throws Exception {
        ANSWER.set(new Object[] {200, null});
        try (RemoteSignerGateway g = toFake(Duration.ofMillis(500))) {
            long t0 = System.nanoTime();
            SignerUnavailableException e = unavailable(g);
            assertTrue(e.getMessage().contains("did not answer"), e::getMessage);
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "the timeout applies");
            assertFalse(g.healthy());
        }
    }

    @Test
    void createRefusesBadStoresNamingTheFileButNotThePassword() {
        IllegalArgumentException wrongPassword = assertThrows(IllegalArgumentException.class,
                () -> RemoteSignerGateway.create(URI.create("https://127.0.0.1:1"), tls.stores().clientKeystore(),
                        "not-the-password-xyz".toCharArray(), tls.stores().truststore(), tls.password()));
        assertTrue(wrongPassword.getMessage().contains("bank-server.p12"), wrongPassword::getMessage);
        assertFalse(wrongPassword.getMessage().contains("not-the-password-xyz"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RemoteSignerGateway.create(URI.create("https://127.0.0.1:1"), dir.resolve("nope.p12"),
                        tls.password(), tls.stores().truststore(), tls.password()));
        assertTrue(missing.getMessage().contains("does not exist"), missing::getMessage);
        // a truststore is not a keystore: it has no private key
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> RemoteSignerGateway.create(URI.create("https://127.0.0.1:1"), tls.stores().truststore(),
                        tls.password(), tls.stores().truststore(), tls.password()));
        assertTrue(noKey.getMessage().contains("exactly one private key"), noKey::getMessage);
        assertThrows(IllegalArgumentException.class, () -> RemoteSignerGateway.create(
                URI.create("http://127.0.0.1:1"), tls.stores().clientKeystore(), tls.password(),
                tls.stores().truststore(), tls.password()));
    }

}
