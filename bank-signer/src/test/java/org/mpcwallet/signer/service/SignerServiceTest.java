package org.mpcwallet.signer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP2;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.signer.BankSigner;
import org.mpcwallet.signer.gateway.GatewayFailureKind;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.LocalSignerGateway;
import org.mpcwallet.signer.gateway.RemoteSignerGateway;
import org.mpcwallet.signer.permit.InMemoryNonceLedger;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.spi.InMemoryLockRepository;
import org.mpcwallet.signer.spi.InMemoryPresignatureRepository;
import org.mpcwallet.signer.spi.InMemoryShareRepository;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.testing.TestKeys;

/**
 * The signer service over real mutual TLS on 127.0.0.1 (development certificates in a temporary directory), a
 * real BankSigner with in-memory repositories behind it, and {@link RemoteSignerGateway} as bank-server uses it.
 */
class SignerServiceTest {
    private static final KeyPair ORCHESTRATOR = PermitKeys.generate(TestKeys.random("service-orchestrator"));
    private static final PermitSigner MINT = new PermitSigner(ORCHESTRATOR.getPrivate());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path certDir;
    private static TlsFixture tls;
    private static SignerService service;
    private static RemoteSignerGateway remote;
    private static HttpClient raw;
    private static int nonces;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFixture.create(certDir);
        Clock clock = Clock.systemUTC();
        KeyEncryptionKey kek = KeyEncryptionKey.generate(TestKeys.random("service-kek"));
        BankSigner signer = new BankSigner(kek,
                new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new InMemoryNonceLedger(clock)),
                new InMemoryShareRepository(), new InMemoryPresignatureRepository(), new InMemoryLockRepository(),
                (keysetId, cause) -> { }, TestKeys.random("service-signer"), TestKeys.bankParams());
        LocalSignerGateway local = new LocalSignerGateway(signer, clock, Duration.ofMinutes(2),
                TestKeys.random("service-gateway"));
        service = SignerService.start(local, tls.serverContext(), new InetSocketAddress("127.0.0.1", 0), 4);
        remote = tls.remote(service.port());
        raw = HttpClient.newBuilder().sslContext(tls.clientContext(tls)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (remote != null) {
            remote.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private static <S, R> Step.Continue<S, R> continued(Step<S, R> step) {
        return assertInstanceOf(Step.Continue.class, step, () -> "P2 aborted: " + step);
    }

    private static <S, R> Step.Done<S, R> done(Step<S, R> step) {
        return assertInstanceOf(Step.Done.class, step, () -> "P2 aborted: " + step);
    }

    private static <T extends GatewayReply> T expect(Class<T> type, GatewayReply r) {
        return assertInstanceOf(type, r, r::toString);
    }

    /** A full keygen: the signer's P1 behind mutual TLS, P2 (shared-crypto KeygenP2) here. */
    private static P2KeyShare keygen(String keysetId, String label) {
        byte[] sid = TestKeys.sid(label);
        Env env2 = TestKeys.env(label + "/p2");
        GatewayReply.Continue k1 = expect(GatewayReply.Continue.class, remote.keygenStart(keysetId, sid));
        Step<KeygenP2.State, P2KeyShare> b1 = KeygenP2.next(KeygenP2.start(sid, TestKeys.deviceParams()), k1.outbound(), env2);
        GatewayReply.Continue k3 = expect(GatewayReply.Continue.class,
                remote.next(k1.handle(), continued(b1).outbound()));
        Step.Done<KeygenP2.State, P2KeyShare> b2 = done(KeygenP2.next(continued(b1).state(), k3.outbound(), env2));
        GatewayReply.KeysetDone fin = expect(GatewayReply.KeysetDone.class, remote.next(k3.handle(), b2.outbound()));
        P2KeyShare p2 = b2.result();
        GatewayKeyset k = fin.keyset();
        assertNotNull(k);
        assertEquals(keysetId, k.keysetId());
        assertEquals(HexFormat.of().formatHex(p2.publicKey().encodeUncompressed()), k.publicKeyHex());
        assertFalse(k.locked());
        // a handle is single-use: the one just advanced names no session any more
        GatewayReply reused = remote.next(k3.handle(), b2.outbound());
        assertEquals(GatewayFailureKind.UNKNOWN_SESSION, expect(GatewayReply.Failed.class, reused).kind());
        return p2;
    }

    private static byte[][] permit(Eip1559Transaction tx, String keysetId) {
        long now = System.currentTimeMillis();
        byte[] nonce = new byte[16];
        nonce[0] = (byte) ++nonces;
        nonce[15] = 0x33;
        SigningPermit p = SigningPermit.forTransaction("req-" + nonces, "wallet-" + keysetId, keysetId, tx, now - 500,
                now + 30_000, nonce, TestKeys.controls(), new byte[32]);
        return new byte[][] {p.encode(), MINT.sign(p)};
    }

    @Test
    void keygenAndAPermittedSignOverMutualTlsGiveASignatureThatVerifiesUnderQ() {
        String keysetId = "wallet-remote-1";
        P2KeyShare p2 = keygen(keysetId, "service-keygen");
        GatewayKeyset stored = remote.keyset(keysetId);
        assertEquals(new GatewayKeyset(keysetId, p2.epoch(),
                HexFormat.of().formatHex(p2.publicKey().encodeUncompressed()), false), stored);

        Eip1559Transaction tx = TestKeys.tx(7);
        byte[] hash = tx.signingHash();
        byte[][] permit = permit(tx, keysetId);
        byte[] sid = TestKeys.sid("service-sign");
        Env env2 = TestKeys.env("service-sign/p2");
        GatewayReply.Continue s1 = expect(GatewayReply.Continue.class,
                remote.signStart(keysetId, sid, permit[0], permit[1]));
        Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(p2, sid, hash), s1.outbound(), env2);
        GatewayReply.Continue s3 = expect(GatewayReply.Continue.class,
                remote.next(s1.handle(), continued(b1).outbound()));
        Step.Done<SignP2.State, SignP2.Sent> b2 = done(SignP2.next(continued(b1).state(), s3.outbound(), env2));
        GatewayReply done = remote.next(s3.handle(), b2.outbound());
        GatewayReply.Signature sig = expect(GatewayReply.Signed.class, done).signature();
        assertNotNull(sig);
        assertFalse(done instanceof GatewayReply.KeysetDone, "a signature, no keyset");
        assertEquals(b2.result().r(), sig.r());
        assertTrue(sig.s().compareTo(Secp256k1.HALF_N) <= 0, "low s");

        // cross-check with Bouncy Castle's own ECDSA over secp256k1 and the Q the signer reported
        X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(),
                curve.getH());
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(
                curve.getCurve().decodePoint(HexFormat.of().parseHex(stored.publicKeyHex())), domain));
        assertTrue(verifier.verifySignature(hash, sig.r(), sig.s()), "BC verifies the signature under Q");
        byte[] otherHash = TestKeys.tx(8).signingHash();
        assertFalse(verifier.verifySignature(otherHash, sig.r(), sig.s()));

        // the permit was single-use
        GatewayReply replay = remote.signStart(keysetId, TestKeys.sid("service-sign-2"), permit[0], permit[1]);
        assertEquals("REPLAYED", expect(GatewayReply.PermitRefused.class, replay).kindName());
    }

    @Test
    void presignAndOnlineOverMutualTlsGiveASignatureThatVerifiesAndThePresignatureIsSingleUse() {
        String keysetId = "wallet-remote-presign";
        P2KeyShare p2 = keygen(keysetId, "service-presign-keygen");
        assertEquals(0, remote.presignatures(keysetId));

        byte[] sid = TestKeys.sid("service-presign");
        Env env2 = TestKeys.env("service-presign/p2");
        GatewayReply.Continue s1 = expect(GatewayReply.Continue.class, remote.presignStart(keysetId, sid));
        Step<PresignP2.State, P2Presignature> b1 = PresignP2.next(PresignP2.start(p2, sid), s1.outbound(), env2);
        GatewayReply.PresignDone s3 = expect(GatewayReply.PresignDone.class,
                remote.next(s1.handle(), continued(b1).outbound()));
        P2Presignature mine = done(PresignP2.next(continued(b1).state(), s3.lastMessage(), env2)).result();
        assertEquals(mine.idHex(), s3.presignatureId(), "both halves carry one id");
        assertEquals(1, remote.presignatures(keysetId));

        Eip1559Transaction tx = TestKeys.tx(21);
        OnlineP2.Result o1 = OnlineP2.encrypt(p2, mine, tx.signingHash(), TestKeys.env("service-online/p2"));
        assertNull(o1.failure());
        byte[][] permit = permit(tx, keysetId);
        GatewayReply.Signature sig = expect(GatewayReply.Signed.class,
                remote.online(keysetId, s3.presignatureId(), permit[0], permit[1], o1.outbound())).signature();
        assertTrue(Ecdsa.verify(tx.signingHash(), new EcdsaSignature(sig.r(), sig.s(), sig.recoveryId()),
                p2.publicKey()), "the online signature verifies under Q");
        assertEquals(0, remote.presignatures(keysetId), "taken");

        // the same presignature again, under a fresh permit: it is gone, whatever the device sends
        byte[][] again = permit(tx, keysetId);
        GatewayReply.Aborted gone = expect(GatewayReply.Aborted.class,
                remote.online(keysetId, s3.presignatureId(), again[0], again[1], o1.outbound()));
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, gone.kind());
        assertFalse(gone.keyLocked());
        // a permit used once is refused before any presignature is looked at
        assertEquals("REPLAYED", expect(GatewayReply.PermitRefused.class,
                remote.online(keysetId, s3.presignatureId(), permit[0], permit[1], o1.outbound())).kindName());
        assertThrows(IllegalArgumentException.class,
                () -> remote.online(keysetId, "AB".repeat(32), permit[0], permit[1], o1.outbound()));
    }

    @Test
    void aForgedPermitIsRefusedOverTheWire() {
        byte[][] permit = permit(TestKeys.tx(9), "wallet-no-key");
        byte[] forged = new PermitSigner(PermitKeys.generate(TestKeys.random("service-forger")).getPrivate())
                .signEncoding(permit[0]);
        GatewayReply r = remote.signStart("wallet-no-key", TestKeys.sid("forged"), permit[0], forged);
        assertEquals("BAD_SIGNATURE", expect(GatewayReply.PermitRefused.class, r).kindName());
        assertFalse(r instanceof GatewayReply.Continue, "no handle");
    }

    @Test
    void anUnknownHandleIsFailedUnknownSession() {
        GatewayReply r = remote.next("0123456789abcdef0123456789abcdef", new byte[] {1, 2, 3});
        GatewayReply.Failed failed = expect(GatewayReply.Failed.class, r);
        assertEquals(GatewayFailureKind.UNKNOWN_SESSION, failed.kind());
        assertFalse(failed.keyLocked());
        remote.abandon("0123456789abcdef0123456789abcdef"); // unknown handles are ignored
    }

    @Test
    void healthAndKeysetLookups() {
        assertTrue(remote.healthy());
        assertNull(remote.keyset("no-such-wallet"));
        assertNull(remote.keyset("with space/and slash ü"));
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\"}", health.body());
    }

    // ---- strict request handling -------------------------------------------------------------------------------

    private static final String SID = "00".repeat(32);

    @Test
    void malformedRequestsAre400ProblemsAndTheServiceKeepsWorking() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"/v1/keygen/start", "{"},
                new String[] {"/v1/keygen/start", ""},
                new String[] {"/v1/keygen/start", "[]"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"w\",\"sessionId\":\"" + SID + "\",\"x\":1}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"w\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":7,\"sessionId\":\"" + SID + "\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"w\",\"sessionId\":\"" + SID.toUpperCase()
                        .replace('0', 'A') + "\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"w\",\"sessionId\":\"abc\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"\",\"sessionId\":\"" + SID + "\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"" + "k".repeat(129) + "\",\"sessionId\":\""
                        + SID + "\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"w\",\"keysetId\":\"v\",\"sessionId\":\"" + SID
                        + "\"}"},
                new String[] {"/v1/keygen/start", "{\"keysetId\":\"w\",\"sessionId\":\"" + SID + "\"} {}"},
                new String[] {"/v1/refresh/start", "{\"keysetId\":\"w\",\"sessionId\":null}"},
                new String[] {"/v1/sign/start", "{\"keysetId\":\"w\",\"sessionId\":\"" + SID
                        + "\",\"permit\":\"!!!!\",\"permitSignature\":\"AAAA\"}"},
                new String[] {"/v1/sign/start", "{\"keysetId\":\"w\",\"sessionId\":\"" + SID
                        + "\",\"permit\":\"QQ\",\"permitSignature\":\"AAAA\"}"},
                new String[] {"/v1/sign/start", "{\"keysetId\":\"w\",\"sessionId\":\"" + SID
                        + "\",\"permit\":\"QR==\",\"permitSignature\":\"AAAA\"}"},
                new String[] {"/v1/presign/start", "{\"keysetId\":\"w\"}"},
                new String[] {"/v1/online", "{\"keysetId\":\"w\",\"presignatureId\":\"" + SID.toUpperCase()
                        .replace('0', 'A') + "\",\"permit\":\"AAAA\",\"permitSignature\":\"AAAA\",\"o1\":\"AAAA\"}"},
                new String[] {"/v1/online", "{\"keysetId\":\"w\",\"presignatureId\":\"" + SID
                        + "\",\"permit\":\"AAAA\",\"permitSignature\":\"AAAA\"}"},
                new String[] {"/v1/online", "{\"keysetId\":\"w\",\"presignatureId\":\"" + SID
                        + "\",\"permit\":\"AAAA\",\"permitSignature\":\"AAAA\",\"o1\":\"!!\"}"},
                new String[] {"/v1/sessions/next", "{\"handle\":\"h\",\"inbound\":\"AA AA\"}"},
                new String[] {"/v1/sessions/next", "{\"handle\":\"h\",\"inbound\":123}"},
                new String[] {"/v1/sessions/abandon", "{\"handle\":true}"});
        for (String[] c : cases) {
            HttpResponse<String> r = post(c[0], c[1].getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode(), () -> c[0] + " " + c[1] + " -> " + r.body());
            assertProblem(r.body(), "malformed_request");
        }
        // a body that is not UTF-8
        assertEquals(400, post("/v1/keygen/start", new byte[] {'{', (byte) 0xff, '}'}).statusCode());

        byte[] big = new byte[SignerService.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        HttpResponse<String> tooBig = post("/v1/sessions/next", big);
        assertEquals(400, tooBig.statusCode());
        assertProblem(tooBig.body(), "body_too_large");

        // the service still answers, and a well-formed request still reaches the signer
        assertTrue(remote.healthy());
        GatewayReply r = remote.next("ffffffffffffffffffffffffffffffff", new byte[] {0});
        assertEquals(GatewayFailureKind.UNKNOWN_SESSION, expect(GatewayReply.Failed.class, r).kind());
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        HttpResponse<String> notFound = post("/v1/nothing", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(404, notFound.statusCode());
        assertProblem(notFound.body(), "not_found");
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/v1/keysets/a/b").statusCode());
        assertEquals(404, get("/v1/keysets/a/b/presignatures").statusCode());
        assertEquals(404, get("/v1/keysets//presignatures").statusCode());
        assertEquals("{\"count\":0}", get("/v1/keysets/nobody/presignatures").body());
        assertEquals(405, post("/v1/keysets/nobody/presignatures", new byte[0]).statusCode());

        HttpResponse<String> wrong = get("/v1/keygen/start");
        assertEquals(405, wrong.statusCode());
        assertEquals("POST", wrong.headers().firstValue("Allow").orElse(null));
        assertProblem(wrong.body(), "method_not_allowed");
        HttpResponse<String> postHealth = post("/health", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(405, postHealth.statusCode());
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElse(null));

        HttpResponse<String> unknownKeyset = get("/v1/keysets/nobody");
        assertEquals(404, unknownKeyset.statusCode());
        assertProblem(unknownKeyset.body(), "unknown_keyset");
        assertEquals(400, get("/v1/keysets/bad%ff").statusCode()); // not UTF-8
    }

    @Test
    void invalidArgumentsFromTheClientSideAreRefusedBeforeSending() {
        assertThrows(IllegalArgumentException.class, () -> remote.keygenStart("w", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> remote.keygenStart(null, new byte[32]));
        // a keyset id the service refuses comes back as the same kind of error
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> remote.keygenStart("k".repeat(200), new byte[32]));
        assertTrue(e.getMessage().contains("keysetId"), e::getMessage);
    }

    private static void assertProblem(String body, String error) throws Exception {
        JsonNode n = JSON.readTree(body);
        assertEquals(Set.of("error", "detail"), new TreeSet<>(iterable(n)));
        assertEquals(error, n.get("error").asText());
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("org.mpcwallet"),
                "no internals in a problem: " + body);
    }

    private static Set<String> iterable(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static HttpResponse<String> post(String path, byte[] body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpResponse<String> get(String path) {
        return call(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + service.port() + path);
    }

    private static HttpResponse<String> call(HttpRequest r) {
        try {
            return raw.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }
}
