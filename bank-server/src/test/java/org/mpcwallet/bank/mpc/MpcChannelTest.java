package org.mpcwallet.bank.mpc;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.mpc.app.SignerKeys;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.LegacyTransaction;
import org.mpcwallet.crypto.eth.SignedEip1559Transaction;
import org.mpcwallet.crypto.eth.SignedLegacyTransaction;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.signer.pg.PgShareRepository;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.StoreFailure;

/**
 * The MPC channel end to end on the real WebSocket, the in-process signer and the embedded PostgreSQL: keygen and a
 * permitted SIGN with a P2 test device, then the adversarial cases of issue 3 (JWT, other users' wallets, frames,
 * hash mismatch, abandoned keygen, forced failed signature locking the key).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MpcChannelTest implements TestPropertyProvider {
    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
    private static final String TO = "0x3535353535353535353535353535353535353535";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    @Inject
    AuditLog audit;

    @Inject
    io.micronaut.context.ApplicationContext context;

    private Path dataDir;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("mpc-");
        dataDir = Path.of(p.get("bank.data-dir"));
        p.put("bank.signer.step-timeout-seconds", "3");
        p.put("bank.signer.direct-sign-requests", "true");
        return p;
    }

    private User customer() {
        return new ApiUsers(http, dataSource).register();
    }

    private User admin() {
        return new ApiUsers(http, dataSource).register("ADMIN");
    }

    private Map<?, ?> send(MutableHttpRequest<?> request, String bearer) {
        HttpResponse<Map> r = http.toBlocking().exchange(request.header("Authorization", bearer), Map.class);
        return r.body();
    }

    private String wallet(User u) {
        return (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", "RETAIL",
                "riskProfile", "LOW")), u.bearer()).get("id");
    }

    private TestDevice device(User u) {
        return TestDevice.connect(json, server.getPort(), u.bearer());
    }

    private static Map<String, Object> transfer(long nonce) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", "31337");
        m.put("nonce", Long.toString(nonce));
        m.put("maxPriorityFeePerGas", "1000000000");
        m.put("maxFeePerGas", "2000000000");
        m.put("gasLimit", "21000");
        m.put("to", TO);
        m.put("valueWei", "1000000000000000");
        m.put("data", "0x");
        return m;
    }

    /** A device-side recomputation of the signing hash from the request's fields (what a wallet must do). */
    private static byte[] recompute(Map<?, ?> r) {
        return SignRequestFields.tx(r).signingHash();
    }

    private Map<?, ?> request(User u, String walletId, long nonce) {
        return send(HttpRequest.POST("/v1/wallets/" + walletId + "/sign-requests", transfer(nonce)), u.bearer());
    }

    private String status(String table, String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select status from " + table + " where id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private List<String> sessionStatuses(String walletId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select status || ':' || coalesce(failure_code, '') from mpc_sessions where wallet_id = ? "
                        + "order by created_at")) {
            ps.setObject(1, UUID.fromString(walletId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static boolean verifies(byte[] hash, Map<?, ?> sig, byte[] publicKey) {
        ECDSASigner v = new ECDSASigner();
        v.init(false, new ECPublicKeyParameters(CURVE.getCurve().decodePoint(publicKey),
                new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH())));
        return v.verifySignature(hash, new BigInteger((String) sig.get("r"), 16),
                new BigInteger((String) sig.get("s"), 16));
    }

    // ---- the happy path

    /** docs/controls-hardening.md §2: disabling a user ends their open channel (no frame needed). */
    @Test
    void disablingAUserClosesTheirOpenChannel() throws Exception {
        User u = customer();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), u.bearer())) {
            String walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", "RETAIL",
                    "riskProfile", "LOW")), u.bearer()).get("id");
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("update users set disabled = true where id = '" + u.id() + "'");
            }
            Map<String, Object> revoked = device.poll(6_000);
            assertNotNull(revoked, "the bank said nothing within 6 s");
            assertEquals("REVOKED", revoked.get("code"), () -> "got " + revoked);
            Map<String, Object> closed = device.poll(6_000);
            assertNotNull(closed);
            assertEquals("closed", closed.get("type"), () -> "got " + closed);
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("select status from wallets where id = '" + walletId
                            + "'")) {
                rs.next();
                assertEquals("PENDING_KEYGEN", rs.getString(1), "nothing ran");
            }
        }
    }

    /** docs/operations.md "Restoring a database backup": the operator's step drops the pool and bumps the epoch. */
    @Test
    void backupRestoredDropsEveryPresignatureAndBumpsTheRestoreEpoch() throws Exception {
        long epoch;
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("insert into presignature (keyset_id, presig_id, epoch, blob) values ('ks-restored', '"
                    + "a".repeat(64) + "', 0, '\\x01')");
            try (java.sql.ResultSet rs = st.executeQuery("select restore_epoch from signer_presign_ledger")) {
                rs.next();
                epoch = rs.getLong(1);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(0, org.mpcwallet.bank.mpc.app.BackupRestoredCommand.run(context, new java.io.PrintStream(out),
                new java.io.PrintStream(err)), err::toString);
        assertTrue(out.toString().contains("restore epoch is now " + (epoch + 1)), out::toString);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("select count(*) from presignature")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        assertEquals(2, org.mpcwallet.bank.mpc.app.BackupRestoredCommand.main(new String[] {"extra"},
                new java.io.PrintStream(out), new java.io.PrintStream(err)), "usage");
        assertTrue(audit.verify().ok());
    }

    @Test
    void keygenThenSignThroughTheWebSocket() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            TestDevice.Keygen k = d.keygen(walletId);
            P2KeyShare share = k.share();
            String publicKey = (String) k.done().get("publicKey");
            assertEquals(HexFormat.of().formatHex(share.publicKey().encodeUncompressed()), publicKey,
                    "the bank's Q is the device's Q");
            String address = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex();
            assertEquals(address, k.done().get("address"));

            Map<?, ?> w = send(HttpRequest.GET("/v1/wallets/" + walletId), u.bearer());
            assertEquals("ACTIVE", w.get("status"));
            assertEquals(address, w.get("address"));
            assertEquals(List.of("COMPLETED:"), sessionStatuses(walletId));

            Map<?, ?> req = request(u, walletId, 0);
            assertEquals("PENDING", req.get("status"));
            byte[] hash = recompute(req);
            assertEquals("0x" + HexFormat.of().formatHex(hash), req.get("signingHash"));
            Map<String, Object> done = d.sign((String) req.get("id"), hash, share, m -> m);
            assertEquals("done", done.get("type"), () -> "got " + done);
            Map<?, ?> sig = (Map<?, ?>) done.get("signature");
            assertTrue(verifies(hash, sig, share.publicKey().encodeUncompressed()), "BC verifies under Q");

            // the signed transaction decodes to the request's fields and recovers the wallet's address
            byte[] raw = HexFormat.of().parseHex(((String) done.get("rawTransaction")).substring(2));
            SignedEip1559Transaction signed = Eip1559Transaction.decodeSigned(raw);
            assertEquals(SignRequestFields.tx(req), signed.transaction());
            assertEquals(done.get("txHash"), "0x" + HexFormat.of().formatHex(signed.transactionHash()));
            Map<?, ?> after = send(HttpRequest.GET("/v1/sign-requests/" + req.get("id")), u.bearer());
            assertEquals("SIGNED", after.get("status"));
            assertEquals(done.get("rawTransaction"), after.get("rawTransaction"));

            // the same request cannot be co-signed twice
            Map<String, Object> again = d.sign((String) req.get("id"), hash, share, m -> m);
            assertEquals("WRONG_STATE", again.get("code"), () -> "got " + again);
        }
        assertTrue(audit.verify().ok(), "the audit chain holds");
        List<String> types = auditTypes();
        for (String t : List.of("KEYGEN_STARTED", "WALLET_ACTIVATED", "KEYGEN_COMPLETED", "SIGN_REQUESTED",
                "PERMIT_ISSUED", "SIGN_STARTED", "SIGN_COMPLETED")) {
            assertTrue(types.contains(t), t + " is audited");
        }
    }

    private List<String> auditTypes() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select type from audit_event order by seq");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void noPlaintextShareInTheDatabaseAfterKeygen() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        P2KeyShare share;
        try (TestDevice d = device(u)) {
            share = d.keygen(walletId).share();
        }
        String keysetId = (String) send(HttpRequest.GET("/v1/wallets/" + walletId), u.bearer()).get("keysetId");
        KeyEncryptionKey kek = KeyEncryptionKey.fromFile(dataDir.resolve(SignerKeys.KEK_FILE));
        byte[] blob = new PgShareRepository(dataSource).loadCurrent(keysetId).blob();
        Result<P1KeyShare, StoreFailure> opened = EncryptedShareStore.open(blob, keysetId, kek);
        assertTrue(opened.isOk(), "the stored share opens with the configured KEK");
        P1KeyShare p1 = opened.value();
        assertEquals(share.publicKey(), p1.publicKey());
        List<byte[]> needles = new ArrayList<>(DatabaseScan.forms(p1.x1()));
        needles.addAll(DatabaseScan.forms(share.x2()));
        assertEquals(List.of(), DatabaseScan.find(dataSource, needles), "no plaintext x1 or x2 anywhere");
    }

    // ---- authentication and access

    @Test
    void theUpgradeNeedsAValidJwt() {
        for (String auth : new String[] {null, "Bearer not-a-jwt",
                "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWZvcmdlZC1ieS1hbi1hdHRhY2tlcg"}) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> TestDevice.connect(json, server.getPort(), auth));
            assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, () -> "got " + e);
            assertEquals(401, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void anotherUsersWalletAndRequestAreNotFound() throws Exception {
        User owner = customer();
        User other = customer();
        String walletId = wallet(owner);
        try (TestDevice d = device(other)) {
            d.send("type", "keygen", "walletId", walletId);
            Map<String, Object> e = d.expect("error");
            assertEquals("NOT_FOUND", e.get("code"));
        }
        P2KeyShare share;
        try (TestDevice d = device(owner)) {
            share = d.keygen(walletId).share();
        }
        Map<?, ?> req = request(owner, walletId, 1);
        try (TestDevice d = device(other)) {
            Map<String, Object> e = d.sign((String) req.get("id"), recompute(req), share, m -> m);
            assertEquals("NOT_FOUND", e.get("code"), () -> "got " + e);
        }
        assertEquals("PENDING", status("sign_requests", (String) req.get("id")));
    }

    // ---- frames

    @Test
    void malformedFramesGetAnErrorAndTheConnectionKeepsWorking() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            for (String bad : new String[] {"not json", "[1,2]", "{\"type\":\"nope\"}", "{\"type\":\"keygen\"}",
                    "{\"type\":\"keygen\",\"walletId\":7}", "{\"type\":\"msg\",\"session\":\"x\"}"}) {
                d.sendRaw(bad);
                Map<String, Object> e = d.expect("error");
                assertEquals("BAD_FRAME", e.get("code"), () -> bad + " -> " + e);
            }
            d.send("type", "msg", "session", UUID.randomUUID().toString(), "seq", 2, "payload", "AA==");
            assertEquals("UNKNOWN_SESSION", d.expect("error").get("code"));
            // the same connection still runs a keygen
            TestDevice.Keygen k = d.keygen(walletId);
            assertNotNull(k.share());
        }
        assertEquals("ACTIVE", status("wallets", walletId));
    }

    /** Issue 10 §6: seq is an exact integer; 2.9, 2^32 + 2, -1 and "2" are not 2. */
    @Test
    void seqMustBeAnExactInteger() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            for (String seq : new String[] {"2.9", "4294967298", "-1", "\"2\"", "2e0", "null"}) {
                d.send("type", "keygen", "walletId", walletId);
                String session = (String) d.expect("started").get("session");
                d.expect("msg");
                d.sendRaw("{\"type\":\"msg\",\"session\":\"" + session + "\",\"seq\":" + seq
                        + ",\"payload\":\"AA==\"}");
                Map<String, Object> e = d.expect("error");
                assertEquals("BAD_FRAME", e.get("code"), () -> "seq " + seq + " -> " + e);
                assertTrue(String.valueOf(e.get("detail")).contains("seq"), () -> "seq " + seq + " -> " + e);
                // the wallet failed its keygen: make a new one for the next form
                walletId = wallet(u);
            }
        }
    }

    @Test
    void replayedFrameEndsTheKeygenAndTheWalletNeverBecomesActive() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            d.send("type", "keygen", "walletId", walletId);
            Map<String, Object> started = d.expect("started");
            String session = (String) started.get("session");
            Map<String, Object> k1 = d.expect("msg");
            var state = org.mpcwallet.crypto.protocol.keygen.KeygenP2.start(
                    HexFormat.of().parseHex((String) started.get("sid")), TestDevice.DEVICE_PARAMS);
            var step = (org.mpcwallet.crypto.protocol.Step.Continue<?, ?>) org.mpcwallet.crypto.protocol.keygen
                    .KeygenP2.next(state, TestDevice.payload(k1),
                            org.mpcwallet.crypto.protocol.Env.jvm(new java.security.SecureRandom()::nextBytes));
            d.sendMsg(session, 2, step.outbound());
            d.expect("msg"); // K3
            d.sendMsg(session, 2, step.outbound()); // replay of K2
            Map<String, Object> e = d.expect("error");
            assertEquals("OUT_OF_ORDER", e.get("code"));
            assertEquals(session, e.get("session"));
            // the session is over: a further message is unknown
            d.sendMsg(session, 4, step.outbound());
            assertEquals("UNKNOWN_SESSION", d.expect("error").get("code"));
        }
        assertEquals("FAILED", status("wallets", walletId));
        assertEquals(List.of("FAILED:OUT_OF_ORDER"), sessionStatuses(walletId));
    }

    @Test
    void tamperedProtocolMessageAbortsOnlyThatSession() throws Exception {
        User u = customer();
        String w1 = wallet(u);
        String w2 = wallet(u);
        try (TestDevice d = device(u)) {
            d.send("type", "keygen", "walletId", w1);
            String session = (String) d.expect("started").get("session");
            d.expect("msg");
            d.sendMsg(session, 2, new byte[] {1, 2, 3});
            Map<String, Object> e = d.expect("error");
            assertEquals("PROTOCOL_ABORTED", e.get("code"));
            assertTrue(((String) e.get("detail")).startsWith("MALFORMED_MESSAGE"), () -> "got " + e);
            assertNotNull(d.keygen(w2).share());
        }
        assertEquals("FAILED", status("wallets", w1));
        assertEquals("ACTIVE", status("wallets", w2));
    }

    @Test
    void abandonedKeygenLeavesTheWalletFailed() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        TestDevice d = device(u);
        d.send("type", "keygen", "walletId", walletId);
        d.expect("started");
        d.expect("msg");
        d.abort(); // the device vanishes mid-keygen
        long until = System.currentTimeMillis() + 10_000;
        while (!"FAILED".equals(status("wallets", walletId)) && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertEquals("FAILED", status("wallets", walletId));
        String s = sessionStatuses(walletId).get(0);
        assertTrue(s.equals("FAILED:DISCONNECTED") || s.equals("EXPIRED:TIMEOUT"), s);
    }

    @Test
    void silentDeviceTimesOutAndTheWalletFails() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            d.send("type", "keygen", "walletId", walletId);
            d.expect("started");
            d.expect("msg");
            Map<String, Object> e = d.expect("error"); // step timeout is 3 s in this test
            assertEquals("TIMEOUT", e.get("code"));
        }
        assertEquals("FAILED", status("wallets", walletId));
        assertEquals(List.of("EXPIRED:TIMEOUT"), sessionStatuses(walletId));
    }

    @Test
    void theSweeperExpiresAKeygenLeftByADeadInstanceAndFailsItsWallet() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        UUID sessionId = UUID.randomUUID();
        byte[] sid = new byte[32];
        new java.security.SecureRandom().nextBytes(sid);
        // a RUNNING keygen whose instance died: no connection holds it, its deadline passed a minute ago
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("insert into "
                + "mpc_sessions (id, kind, wallet_id, user_id, status, sid, last_seq, created_at, updated_at, "
                + "deadline_at) values (?, 'KEYGEN', ?, ?, 'RUNNING', ?, 1, now() - interval '2 minutes', "
                + "now() - interval '2 minutes', now() - interval '1 minute')")) {
            ps.setObject(1, sessionId);
            ps.setObject(2, UUID.fromString(walletId));
            ps.setObject(3, UUID.fromString(u.id()));
            ps.setBytes(4, sid);
            ps.executeUpdate();
        }
        context.getBean(org.mpcwallet.bank.mpc.app.SessionRecords.class).expireOverdue();
        assertEquals(List.of("EXPIRED:TIMEOUT"), sessionStatuses(walletId));
        assertEquals("FAILED", status("wallets", walletId), "the keygen's wallet fails with its session");
    }

    // ---- signing refusals and the key lock

    @Test
    void aHashOtherThanTheRequestsIsRefused() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            P2KeyShare share = d.keygen(walletId).share();
            Map<?, ?> req = request(u, walletId, 2);
            byte[] other = recompute(req);
            other[0] ^= 1;
            Map<String, Object> e = d.sign((String) req.get("id"), other, share, m -> m);
            assertEquals("HASH_MISMATCH", e.get("code"));
            assertEquals("PENDING", status("sign_requests", (String) req.get("id")));
        }
    }

    @Test
    void aLegacyEip155RequestIsCoSignedAndItsTypeIsPartOfWhatIsSigned() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            P2KeyShare share = d.keygen(walletId).share();
            Map<String, Object> body = legacyTransfer(3);
            Map<?, ?> req = send(HttpRequest.POST("/v1/wallets/" + walletId + "/sign-requests", body), u.bearer());
            assertEquals("LEGACY", req.get("type"));
            assertEquals("1500000000", req.get("gasPrice"));
            assertNull(req.get("maxFeePerGas"));
            assertNull(req.get("maxPriorityFeePerGas"));
            LegacyTransaction expected = (LegacyTransaction) SignRequestFields.tx(req);
            assertEquals("0x" + HexFormat.of().formatHex(expected.signingHash()), req.get("signingHash"));

            // a device that reads the same fields as an EIP-1559 transaction gets a different hash: refused
            Eip1559Transaction asTyped = new Eip1559Transaction(expected.chainId(), expected.nonce(),
                    expected.gasPrice(), expected.gasPrice(), expected.gasLimit(), expected.to(), expected.value(),
                    expected.data());
            Map<String, Object> refused = d.sign((String) req.get("id"), asTyped.signingHash(), share, m -> m);
            assertEquals("HASH_MISMATCH", refused.get("code"), () -> "got " + refused);

            Map<String, Object> done = d.sign((String) req.get("id"), expected.signingHash(), share, m -> m);
            assertEquals("done", done.get("type"), () -> "got " + done);
            byte[] raw = HexFormat.of().parseHex(((String) done.get("rawTransaction")).substring(2));
            SignedLegacyTransaction signed = LegacyTransaction.decodeSigned(raw);
            assertEquals(expected, signed.transaction(), "the broadcastable transaction is the one requested");
            assertEquals(done.get("txHash"), "0x" + HexFormat.of().formatHex(signed.transactionHash()));
            assertTrue(verifies(expected.signingHash(), (Map<?, ?>) done.get("signature"),
                    share.publicKey().encodeUncompressed()), "BC verifies under Q");
            // web3j recovers the wallet's address from the EIP-155 encoding
            org.web3j.crypto.SignedRawTransaction decoded = (org.web3j.crypto.SignedRawTransaction)
                    org.web3j.crypto.TransactionDecoder.decode((String) done.get("rawTransaction"));
            assertEquals(EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toLowerHex(),
                    decoded.getFrom().toLowerCase(java.util.Locale.ROOT));
            assertEquals(31337L, decoded.getChainId());
            assertEquals("LEGACY", send(HttpRequest.GET("/v1/sign-requests/" + req.get("id")), u.bearer())
                    .get("type"));
        }
    }

    private static Map<String, Object> legacyTransfer(long nonce) {
        Map<String, Object> m = transfer(nonce);
        m.remove("maxPriorityFeePerGas");
        m.remove("maxFeePerGas");
        m.put("type", "LEGACY");
        m.put("gasPrice", "1500000000");
        return m;
    }

    /**
     * CVE-2023-33242 over the real WebSocket: a device that changes its last message (c3 · (1 + N), a valid
     * ciphertext of a wrong signature share) is refused before the signer decrypts (P2's proof no longer matches),
     * nothing locks, no incident opens, and the honest co-signature of the same request right after succeeds.
     */
    @Test
    void aMaliciousLastMessageIsRefusedBeforeDecryptionNothingLocksAndTheHonestRetrySigns() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            P2KeyShare share = d.keygen(walletId).share();
            Map<?, ?> req = request(u, walletId, 3);
            Map<String, Object> e = d.sign((String) req.get("id"), recompute(req), share,
                    TestDevice.corruptC3(share));
            assertEquals("PROTOCOL_ABORTED", e.get("code"), () -> "got " + e);
            assertTrue(String.valueOf(e).contains("PROOF_INVALID"), () -> "got " + e);
            assertEquals("PENDING", status("sign_requests", (String) req.get("id")));
            Map<?, ?> mpc = send(HttpRequest.GET("/v1/wallets/" + walletId + "/mpc"), u.bearer());
            assertEquals(Boolean.FALSE, mpc.get("locked"));
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select count(*) from incidents where wallet_id = ?")) {
                ps.setObject(1, UUID.fromString(walletId));
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getInt(1), "no incident");
                }
            }
            Map<String, Object> done = d.sign((String) req.get("id"), recompute(req), share, m -> m);
            assertEquals("done", done.get("type"), () -> "got " + done);
            assertTrue(verifies(recompute(req), (Map<?, ?>) done.get("signature"),
                    share.publicKey().encodeUncompressed()));
        }
        assertFalse(auditTypes().contains("KEY_LOCKED"));
        assertTrue(audit.verify().ok());
    }

    /**
     * A key locked by the signer (here written to keyset_lock as any signer instance does after a failed signature
     * that passed every proof) is retired: co-signing is refused, an ADMIN cannot authorize a refresh (409), and the
     * device cannot start one.
     */
    @Test
    void aLockedKeyIsRetiredSigningAndRefreshAreRefused() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = device(u)) {
            P2KeyShare share = d.keygen(walletId).share();
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "insert into keyset_lock (keyset_id, kind, step, culprit, reason) select keyset_id, "
                            + "'KEY_COMPROMISE_RISK', 'O2', null, 'test: signature failed after the proof' "
                            + "from wallets where id = ?")) {
                ps.setObject(1, UUID.fromString(walletId));
                assertEquals(1, ps.executeUpdate());
            }
            Map<?, ?> mpc = send(HttpRequest.GET("/v1/wallets/" + walletId + "/mpc"), u.bearer());
            assertEquals(Boolean.TRUE, mpc.get("locked"));
            Map<?, ?> next = request(u, walletId, 4);
            Map<String, Object> refused = d.sign((String) next.get("id"), recompute(next), share, m -> m);
            assertEquals("KEY_LOCKED", refused.get("code"), () -> "got " + refused);
            assertEquals("PENDING", status("sign_requests", (String) next.get("id")));

            User admin = admin();
            io.micronaut.http.client.exceptions.HttpClientResponseException conflict = assertThrows(
                    io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                    () -> send(HttpRequest.POST("/v1/admin/wallets/" + walletId + "/refresh",
                            Map.of("reason", "incident: failed signature")), admin.bearer()));
            assertEquals(409, conflict.code());
            assertTrue(conflict.getResponse().getBody(String.class).orElse("").contains("rotat"));
            d.send("type", "refresh", "walletId", walletId);
            assertEquals("NOT_AUTHORIZED", d.expect("error").get("code"));
        }
        assertFalse(auditTypes().contains("REFRESH_AUTHORIZED"));
        assertTrue(audit.verify().ok());
    }

    @Test
    void signRequestsNeedAnActiveWalletAndValidFields() {
        User u = customer();
        String walletId = wallet(u);
        io.micronaut.http.client.exceptions.HttpClientResponseException e = assertThrows(
                io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> request(u, walletId, 0));
        assertEquals(409, e.code(), "PENDING_KEYGEN wallet");
        Map<String, Object> bad = transfer(0);
        bad.put("to", "0x12");
        e = assertThrows(io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                () -> send(HttpRequest.POST("/v1/wallets/" + walletId + "/sign-requests", bad), u.bearer()));
        assertEquals(400, e.code());
        assertFalse(e.getResponse().getBody(String.class).orElse("").contains("Exception"));

        // the type and its fee fields go together
        Map<String, Object> legacyWithFees = legacyTransfer(0);
        legacyWithFees.put("maxFeePerGas", "2000000000");
        Map<String, Object> typedWithGasPrice = transfer(0);
        typedWithGasPrice.put("gasPrice", "1");
        Map<String, Object> otherType = transfer(0);
        otherType.put("type", "EIP2930");
        Map<String, Object> legacyWithoutPrice = legacyTransfer(0);
        legacyWithoutPrice.remove("gasPrice");
        for (Map<String, Object> b : List.of(legacyWithFees, typedWithGasPrice, otherType, legacyWithoutPrice)) {
            e = assertThrows(io.micronaut.http.client.exceptions.HttpClientResponseException.class,
                    () -> send(HttpRequest.POST("/v1/wallets/" + walletId + "/sign-requests", b), u.bearer()));
            assertEquals(400, e.code(), () -> "for " + b);
            String problem = e.getResponse().getBody(String.class).orElse("");
            assertTrue(problem.contains("gasPrice") || problem.contains("EIP1559 or LEGACY"), problem);
        }
    }

    @Test
    void healthReportsTheSigner() {
        Map<?, ?> h = http.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class);
        assertEquals("UP", h.get("status"));
        assertEquals(Map.of("status", "UP", "mode", "in-process"), h.get("signer"));
    }
}
