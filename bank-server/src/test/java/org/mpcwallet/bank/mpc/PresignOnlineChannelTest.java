package org.mpcwallet.bank.mpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.signer.gateway.SignerGateway;

/**
 * Presigning and online signing on the real channel (docs/presign-online.md): a device of the shared device core
 * ({@code device.OnlineSignDriver}) makes a presignature over the WebSocket and co-signs a sign request with it in
 * one message, against the in-process signer on the embedded PostgreSQL; then what must not work: a presignature
 * used twice, someone else's wallet or request, a hash the request does not have, a tampered O1, a locked key, and
 * more presignatures an hour than the limit.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresignOnlineChannelTest implements TestPropertyProvider {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final int PRESIGNS_PER_HOUR = 3;

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
    SignerGateway signer;

    private final Env env = Env.jvm(new SecureRandom()::nextBytes);

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("presign-");
        p.put("bank.signer.direct-sign-requests", "true");
        p.put("bank.limits.presigns-per-user-per-hour", Integer.toString(PRESIGNS_PER_HOUR));
        return p;
    }

    private User customer() {
        return new ApiUsers(http, dataSource).register();
    }

    private Map<?, ?> send(MutableHttpRequest<?> request, String bearer) {
        return http.toBlocking().exchange(request.header("Authorization", bearer), Map.class).body();
    }

    private String wallet(User u) {
        return (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", "RETAIL",
                "riskProfile", "LOW")), u.bearer()).get("id");
    }

    private Map<?, ?> request(User u, String walletId, long nonce) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", "31337");
        m.put("nonce", Long.toString(nonce));
        m.put("maxPriorityFeePerGas", "1000000000");
        m.put("maxFeePerGas", "2000000000");
        m.put("gasLimit", "21000");
        m.put("to", TO);
        m.put("valueWei", "1000000000000000");
        m.put("data", "0x");
        return send(HttpRequest.POST("/v1/wallets/" + walletId + "/sign-requests", m), u.bearer());
    }

    private static DeviceSession.Reaction<P2Presignature> presign(TestDevice d, String walletId, P2KeyShare share) {
        return d.presign(walletId, share);
    }

    private static DeviceSession.Reaction<SignDriver.Result> online(TestDevice d, Map<?, ?> req, P2KeyShare share,
                                                                    P2Presignature presig, String hashHex) {
        return d.online((String) req.get("id"), SignRequestFields.tx(req), hashHex, share, presig);
    }

    private static String hashOf(Map<?, ?> req) {
        return HexFormat.of().formatHex(SignRequestFields.tx(req).signingHash());
    }

    private String keysetOf(String walletId) throws Exception {
        return (String) query("select keyset_id from wallets where id = '" + walletId + "'").get(0);
    }

    private List<Object> query(String sql) throws Exception {
        List<Object> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
        }
        return out;
    }

    private List<Object> sessions(String walletId) throws Exception {
        return query("select kind || ':' || status || ':' || coalesce(failure_code, '') from mpc_sessions where "
                + "wallet_id = '" + walletId + "' order by created_at");
    }

    @Test
    void aPresignatureMadeAheadCoSignsARequestInOneMessageAndIsUsedOnce() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = TestDevice.connect(json, server.getPort(), u.bearer())) {
            P2KeyShare share = d.keygen(walletId).share();
            String keyset = keysetOf(walletId);
            DeviceSession.Reaction<P2Presignature> made = presign(d, walletId, share);
            assertNull(made.failure(), () -> "presign failed: " + made.failure());
            P2Presignature presig = made.result();
            // a copy made before it is spent: the device's own guard refuses a second use of one object, so the
            // copy stands for a device that kept it anyway (restored from a backup, or hostile)
            P2Presignature kept = P2Presignature.decode(presig.encode());
            assertEquals(1, signer.presignatures(keyset), "the bank holds its half");

            Map<?, ?> req = request(u, walletId, 0);
            DeviceSession.Reaction<SignDriver.Result> signed = online(d, req, share, presig, hashOf(req));
            assertNull(signed.failure(), () -> "online failed: " + signed.failure());
            SignDriver.Result result = signed.result();
            assertTrue(Ecdsa.verify(SignRequestFields.tx(req).signingHash(), result.signature(), share.publicKey()),
                    "the signature verifies under the wallet's key (the driver checked it too)");
            assertEquals("SIGNED", query("select status from sign_requests where id = '" + req.get("id") + "'")
                    .get(0));
            assertEquals(0, signer.presignatures(keyset), "taken");
            assertEquals(List.of("KEYGEN:COMPLETED:", "PRESIGN:COMPLETED:", "ONLINE:COMPLETED:"), sessions(walletId));

            // the same presignature on another request: refused by the signer, the request untouched, not counted
            Map<?, ?> second = request(u, walletId, 1);
            DeviceSession.Reaction<SignDriver.Result> reused = online(d, second, share, kept, hashOf(second));
            assertNotNull(reused.failure());
            assertEquals("PRESIGNATURE_UNAVAILABLE", reused.failure().code(), () -> "got " + reused.failure());
            assertEquals("PENDING", query("select status from sign_requests where id = '" + second.get("id") + "'")
                    .get(0));
            assertEquals(List.of(0L), query("select count(*) from mpc_sessions where request_id = '"
                    + second.get("id") + "' and status in ('FAILED', 'EXPIRED') and failure_code is distinct from "
                    + "'PRESIGNATURE_UNAVAILABLE'"), "not a failure of the device's");
            // and the device co-signs it with SIGN instead
            Map<String, Object> done = d.sign((String) second.get("id"), SignRequestFields.tx(second).signingHash(),
                    share, m -> m);
            assertEquals("done", done.get("type"), () -> "got " + done);
        }
        List<String> types = auditTypes();
        assertTrue(types.containsAll(List.of("PRESIGN_STARTED", "PRESIGN_COMPLETED", "SIGN_STARTED", "SIGN_FAILED")),
                types::toString);
        assertTrue(audit.verify().ok());
    }

    @Test
    void aWrongHashOrSomeoneElsesWalletIsRefusedBeforeThePresignatureIsSpent() throws Exception {
        User u = customer();
        User other = customer();
        String walletId = wallet(u);
        try (TestDevice d = TestDevice.connect(json, server.getPort(), u.bearer());
             TestDevice stranger = TestDevice.connect(json, server.getPort(), other.bearer())) {
            P2KeyShare share = d.keygen(walletId).share();
            P2Presignature presig = presign(d, walletId, share).result();
            assertNotNull(presig);
            Map<?, ?> req = request(u, walletId, 0);

            DeviceSession.Reaction<SignDriver.Result> mismatch = online(d, req, share, presig, "ab".repeat(32));
            assertEquals("HASH_MISMATCH", mismatch.failure().code());
            assertEquals(1, signer.presignatures(keysetOf(walletId)), "nothing reached the signer");

            DeviceSession.Reaction<P2Presignature> foreign = presign(stranger, walletId, share);
            assertEquals("NOT_FOUND", foreign.failure().code(), "another user's wallet is not there for them");
            DeviceSession.Reaction<SignDriver.Result> foreignOnline = online(stranger, req, share, presig,
                    hashOf(req));
            assertEquals("NOT_FOUND", foreignOnline.failure().code());

            // the presignature is still good for the request it was meant for
            DeviceSession.Reaction<SignDriver.Result> ok = online(d, req, share, presig, hashOf(req));
            assertNull(ok.failure(), () -> "got " + ok.failure());
        }
    }

    @Test
    void aTamperedO1IsRefusedByItsProofTheKeyStaysUnlockedAndThePresignatureIsGone() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = TestDevice.connect(json, server.getPort(), u.bearer())) {
            P2KeyShare share = d.keygen(walletId).share();
            P2Presignature presig = presign(d, walletId, share).result();
            Map<?, ?> req = request(u, walletId, 0);
            d.send("type", "online", "requestId", req.get("id"), "signingHash", hashOf(req), "shareEpoch",
                    share.epoch(), "presignatureId", presig.idHex());
            Map<String, Object> started = d.expect("started");
            byte[] o1 = org.mpcwallet.crypto.protocol.sign.OnlineP2.encrypt(share, presig,
                    SignRequestFields.tx(req).signingHash(), env).outbound();
            d.sendMsg((String) started.get("session"), 1, TestDevice.corruptC3(share).apply(o1));
            Map<String, Object> e = d.expect("error");
            assertEquals("PROTOCOL_ABORTED", e.get("code"), () -> "got " + e);
            assertTrue(String.valueOf(e.get("detail")).contains("PROOF_INVALID"), () -> "got " + e);
            assertEquals("PENDING", query("select status from sign_requests where id = '" + req.get("id") + "'")
                    .get(0));
            assertEquals(Boolean.FALSE, send(HttpRequest.GET("/v1/wallets/" + walletId + "/mpc"), u.bearer())
                    .get("locked"));
            assertEquals(0, signer.presignatures(keysetOf(walletId)), "consumed before the check");
            assertEquals(List.of(0L), query("select count(*) from incidents where wallet_id = '" + walletId + "'"));
        }
        assertFalse(auditTypes().contains("KEY_LOCKED"));
    }

    @Test
    void aLockedKeyMakesNoPresignaturesAndAnHourAllowsOnlyTheLimit() throws Exception {
        User u = customer();
        String walletId = wallet(u);
        try (TestDevice d = TestDevice.connect(json, server.getPort(), u.bearer())) {
            P2KeyShare share = d.keygen(walletId).share();
            for (int i = 0; i < PRESIGNS_PER_HOUR; i++) {
                assertNull(presign(d, walletId, share).failure());
            }
            DeviceSession.Reaction<P2Presignature> over = presign(d, walletId, share);
            assertEquals("RATE_LIMITED", over.failure().code());
            assertTrue(over.failure().detail().contains("at most " + PRESIGNS_PER_HOUR + " presignatures per hour"),
                    over.failure().detail());
        }
        User v = customer();
        String locked = wallet(v);
        try (TestDevice d = TestDevice.connect(json, server.getPort(), v.bearer())) {
            P2KeyShare share = d.keygen(locked).share();
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "insert into keyset_lock (keyset_id, kind, step, reason) values (?, 'KEY_COMPROMISE_RISK', 'S4', "
                            + "'test')")) {
                ps.setString(1, keysetOf(locked));
                ps.executeUpdate();
            }
            assertEquals("KEY_LOCKED", presign(d, locked, share).failure().code());
        }
    }

    private List<String> auditTypes() throws Exception {
        return query("select type from audit_event order by seq").stream().map(String::valueOf).toList();
    }
}
