package org.mpcwallet.bank.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * The bank's copy of a device share (issue 13, docs/client-web.md "The bank's copy"), over HTTP on the real bank:
 * only the wallet's OWNER stores, reads and deletes it; the bank refuses what is not a P2 share vault envelope of
 * this wallet, a copy sealed "with a password", one made at another key epoch, and says so; after a key refresh the
 * stored copy is reported as no longer current; every action is audited without the envelope; the envelope read back
 * is the one stored, and opens with the recovery code only.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceBackupTest implements TestPropertyProvider {
    private static final char[] CODE = "ABCDEFGH-JKLMNPQR-STUVWXYZ-23456789".toCharArray();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    private User owner;
    private String walletId;
    private P2KeyShare share;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("device-backup-");
    }

    @BeforeAll
    void anActiveWallet() {
        owner = new ApiUsers(http, dataSource).register();
        walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", "RETAIL",
                "riskProfile", "LOW")), owner).body().get("id");
        try (TestDevice d = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            share = d.keygen(walletId).share();
        }
    }

    private HttpResponse<Map> send(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()), Map.class);
    }

    private static byte[] seal(String wallet, Party role, P2KeyShare s) {
        return ShareVault.seal(CODE, wallet, role, s.encode(), new SecureRandom()::nextBytes);
    }

    private static Map<String, Object> body(byte[] envelope, Object epoch, String sealedWith) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("envelope", envelope == null ? null : Base64.getEncoder().encodeToString(envelope));
        m.put("keyEpoch", epoch);
        m.put("sealedWith", sealedWith);
        return m;
    }

    private HttpClientResponseException refused(MutableHttpRequest<?> request, User u, int status) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> send(request, u));
        assertEquals(status, e.getStatus().getCode(), () -> e.getResponse().getBody(String.class).orElse(""));
        return e;
    }

    private static String problem(HttpClientResponseException e) {
        return e.getResponse().getBody(String.class).orElse("");
    }

    @Test
    void theOwnerStoresReadsAndDeletesItAndOthersCannot() throws Exception {
        String path = "/v1/wallets/" + walletId + "/device-backup";
        refused(HttpRequest.GET(path), owner, 404);
        byte[] envelope = seal(walletId, Party.P2, share);
        Map<?, ?> stored = send(HttpRequest.PUT(path, body(envelope, 0, "recovery-code")), owner).body();
        assertEquals(0, ((Number) stored.get("keyEpoch")).intValue());
        assertFalse(stored.containsKey("envelope") && stored.get("envelope") != null, "a store does not echo it");

        Map<?, ?> read = send(HttpRequest.GET(path), owner).body();
        byte[] back = Base64.getDecoder().decode((String) read.get("envelope"));
        assertArrayEquals(envelope, back);
        assertEquals(Boolean.TRUE, read.get("current"));
        assertEquals("recovery-code", read.get("sealedWith"));
        Result<byte[], VaultFailure> opened = ShareVault.open(CODE, back, walletId, Party.P2);
        assertTrue(opened.isOk());
        assertFalse(ShareVault.open("a chosen password".toCharArray(), back, walletId, Party.P2).isOk());

        User stranger = new ApiUsers(http, dataSource).register();
        refused(HttpRequest.GET(path), stranger, 404);
        refused(HttpRequest.PUT(path, body(envelope, 0, "recovery-code")), stranger, 404);
        User viewer = new ApiUsers(http, dataSource).register();
        send(HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId", viewer.id(), "role",
                "VIEWER")), owner);
        assertTrue(problem(refused(HttpRequest.GET(path), viewer, 403)).contains("OWNER"));
        User admin = new ApiUsers(http, dataSource).register("ADMIN");
        refused(HttpRequest.GET(path), admin, 403); // staff see the wallet, never the copy

        send(HttpRequest.DELETE(path), owner);
        refused(HttpRequest.GET(path), owner, 404);
        refused(HttpRequest.DELETE(path), owner, 404);

        List<String> events = audit("DEVICE_BACKUP_%");
        assertEquals(List.of("DEVICE_BACKUP_STORED", "DEVICE_BACKUP_READ", "DEVICE_BACKUP_DELETED"), events);
        String b64 = Base64.getEncoder().encodeToString(envelope);
        for (String payload : auditPayloads("DEVICE_BACKUP_%")) {
            assertFalse(payload.contains(b64.substring(0, 40)), "no envelope in the audit: " + payload);
        }
    }

    @Test
    void whatIsNotThisWalletsSealedDeviceShareIsRefusedWithTheReason() {
        String path = "/v1/wallets/" + walletId + "/device-backup";
        byte[] good = seal(walletId, Party.P2, share);
        assertTrue(problem(refused(HttpRequest.PUT(path, body(good, 0, "password")), owner, 400))
                .contains("recovery code"));
        assertTrue(problem(refused(HttpRequest.PUT(path, body(null, 0, "recovery-code")), owner, 400))
                .contains("envelope"));
        Map<String, Object> notBase64 = body(good, 0, "recovery-code");
        notBase64.put("envelope", "%%% not base64 %%%");
        assertTrue(problem(refused(HttpRequest.PUT(path, notBase64), owner, 400)).contains("base64"));
        byte[] garbage = new byte[200];
        new SecureRandom().nextBytes(garbage);
        assertTrue(problem(refused(HttpRequest.PUT(path, body(garbage, 0, "recovery-code")), owner, 400))
                .contains("not a share vault"));
        assertTrue(problem(refused(HttpRequest.PUT(path, body(seal(walletId, Party.P1, share), 0,
                "recovery-code")), owner, 400)).contains("this wallet"));
        assertTrue(problem(refused(HttpRequest.PUT(path, body(seal("00000000-0000-0000-0000-000000000001",
                Party.P2, share), 0, "recovery-code")), owner, 400)).contains("this wallet"));
        assertTrue(problem(refused(HttpRequest.PUT(path, body(good, 1, "recovery-code")), owner, 409))
                .contains("epoch 0"));
        assertTrue(problem(refused(HttpRequest.PUT(path, body(new byte[20000], 0, "recovery-code")), owner, 400))
                .contains("16384"));
    }

    @Test
    void afterAKeyRefreshTheStoredCopyIsNoLongerCurrent() throws Exception {
        String path = "/v1/wallets/" + walletId + "/device-backup";
        User u = new ApiUsers(http, dataSource).register();
        String w = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "r", "type", "RETAIL",
                "riskProfile", "LOW")), u).body().get("id");
        String p = "/v1/wallets/" + w + "/device-backup";
        try (TestDevice d = TestDevice.connect(json, server.getPort(), u.bearer())) {
            P2KeyShare s0 = d.keygen(w).share();
            send(HttpRequest.PUT(p, body(seal(w, Party.P2, s0), 0, "recovery-code")), u);
            User admin = new ApiUsers(http, dataSource).register("ADMIN");
            send(HttpRequest.POST("/v1/admin/wallets/" + w + "/refresh", Map.of("reason", "routine")), admin);
            P2KeyShare s1 = d.refresh(w, s0);
            assertEquals(1, s1.epoch());
            assertEquals(Boolean.FALSE, send(HttpRequest.GET(p), u).body().get("current"));
            assertTrue(problem(refused(HttpRequest.PUT(p, body(seal(w, Party.P2, s0), 0, "recovery-code")), u,
                    409)).contains("at epoch 1"));
            send(HttpRequest.PUT(p, body(seal(w, Party.P2, s1), 1, "recovery-code")), u);
            assertEquals(Boolean.TRUE, send(HttpRequest.GET(p), u).body().get("current"));
        }
        assertTrue(path.contains(walletId));
    }

    private List<String> audit(String like) throws Exception {
        return column("type", like);
    }

    private List<String> auditPayloads(String like) throws Exception {
        return column("payload", like);
    }

    private List<String> column(String col, String like) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select " + col + " from audit_event where type like ? and payload like ? order by seq")) {
            ps.setString(1, like);
            ps.setString(2, "%" + walletId + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
