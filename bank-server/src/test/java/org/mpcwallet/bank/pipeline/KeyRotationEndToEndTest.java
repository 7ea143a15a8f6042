package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.mpc.SignRequestFields;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.mpc.app.RotationService;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.SignerGateway;

/**
 * docs/key-rotation.md end to end on anvil (issue 9 item 2): a key locks (here by the decryption marker a crash
 * leaves behind), refresh is refused, an ADMIN rotates the wallet, the owner's device runs the successor's keygen, an
 * ADMIN creates the sweep, another ADMIN approves it, the device co-signs it with the old share, it is broadcast,
 * confirmed and FINALIZED: the funds are at the new address, the old wallet and its key are RETIRED, the incident is
 * resolved, and no later session of any kind decrypts with the old key.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationEndToEndTest extends PipelineHarness {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = super.getProperties();
        p.put("bank.test.signer-watch", "true");
        p.put("bank.rotation.recheck-interval-millis", "0"); // the tests run the periodic check themselves
        return p;
    }

    /**
     * Wraps the bank's signer gateway: at each {@code keyset} question, asks PostgreSQL (on a connection of its own)
     * whether another session holds the audit head's row or a transfer's row.
     */
    @jakarta.inject.Singleton
    @io.micronaut.context.annotation.Requires(property = "bank.test.signer-watch", value = "true")
    static class SignerWatch implements io.micronaut.context.event.BeanCreatedEventListener<SignerGateway> {
        static final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        static final List<String> underLock = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** A keyset whose {@code keyset} question fails as if the signer were unavailable, or null. */
        static volatile String unavailableFor;
        static final List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final jakarta.inject.Provider<javax.sql.DataSource> dataSource;

        SignerWatch(jakarta.inject.Provider<javax.sql.DataSource> dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public SignerGateway onCreated(io.micronaut.context.event.BeanCreatedEvent<SignerGateway> event) {
            SignerGateway inner = event.getBean();
            return (SignerGateway) java.lang.reflect.Proxy.newProxyInstance(SignerGateway.class.getClassLoader(),
                    new Class<?>[] {SignerGateway.class}, (proxy, method, args) -> {
                        if (method.getName().equals("keyset")) {
                            asked.add((String) args[0]);
                            if (locksHeld()) {
                                underLock.add("keyset " + args[0] + " on " + Thread.currentThread().getName());
                            }
                            if (args[0].equals(unavailableFor)) {
                                refused.add((String) args[0]);
                                throw new org.mpcwallet.signer.gateway.SignerUnavailableException(
                                        "the signer is unavailable (test)");
                            }
                        }
                        try {
                            return method.invoke(inner, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        private boolean locksHeld() throws java.sql.SQLException {
            try (java.sql.Connection c = dataSource.get().getConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement("select count(*) from pg_locks l join pg_class t "
                         + "on t.oid = l.relation where t.relname in ('audit_head', 'tx_requests') and l.granted "
                         + "and l.mode in ('RowShareLock', 'RowExclusiveLock') and l.pid <> pg_backend_pid()");
                 java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Inject
    SignerGateway signer;

    @Test
    void lockRotateKeygenSweepApproveCoSignFinalizeRetire() throws Exception {
        User owner = user();
        User admin = user("ADMIN");
        User admin2 = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Swept sw = lockRotateSweepAndCoSign(owner, admin, admin2, device);
            Funded w = sw.w();
            String keysetId = sw.keysetId();
            String newWalletId = sw.newWalletId();
            String newAddress = sw.newAddress();
            BigInteger before = sw.before();
            String sweepId = sw.sweepId();
            Map<?, ?> fin = until(sweepId, admin, "FINALIZED");
            BigInteger swept = new BigInteger((String) fin.get("amount"));
            assertEquals(swept, balance(newAddress), "the funds are at the new address");
            assertTrue(balance(w.address()).compareTo(before.subtract(swept)) < 0, "the old address paid the fee");

            assertEquals("RETIRED", send(HttpRequest.GET("/v1/wallets/" + w.walletId()), owner).get("status"));
            assertEquals("ACTIVE", send(HttpRequest.GET("/v1/wallets/" + newWalletId), owner).get("status"));
            // the signer was asked whether the key is retired, and never while a transaction held the audit log's
            // head or a transfer's row (a remote signer is a network call: docs/redesign.md step 3)
            assertTrue(SignerWatch.asked.contains(keysetId), () -> "keyset asked: " + SignerWatch.asked);
            assertEquals(List.of(), SignerWatch.underLock, "the signer asked while locks were held");
            GatewayKeyset ks = signer.keyset(keysetId);
            assertTrue(ks.retired(), () -> "signer keyset " + ks);
            List<Map> stillOpen = openIncidents(admin);
            assertTrue(stillOpen.stream().noneMatch(i -> w.walletId().equals(i.get("walletId"))),
                    "the incident is resolved: " + stillOpen);
            assertEquals(409, status(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/sweep", Map.of()),
                    admin), "a retired wallet is not swept again");

            // no later session of any kind starts with the retired key, even one addressed to the signer directly
            SecureRandom random = new SecureRandom();
            byte[] sid = new byte[32];
            random.nextBytes(sid);
            Eip1559Transaction again = new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.TEN,
                    BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(21_000), EthAddress.parse(newAddress),
                    BigInteger.ONE, new byte[0]);
            var permit = context.getBean(org.mpcwallet.bank.mpc.app.PermitIssuer.class).issue("after-retire",
                    w.walletId(), keysetId, again, List.of(), new byte[32]);
            GatewayReply sign = signer.signStart(keysetId, sid, permit.encoded(), permit.signature());
            GatewayReply.Failure lockedOut = assertInstanceOf(GatewayReply.Failure.class, sign, sign::toString);
            assertEquals("KEY_LOCKED", lockedOut.kindName(), sign::toString);
            assertTrue(lockedOut.reason().contains("retired for good"), sign::toString);
            random.nextBytes(sid);
            assertEquals("KEY_LOCKED",
                    assertInstanceOf(GatewayReply.Failure.class, signer.refreshStart(keysetId, sid)).kindName());
            assertEquals("KEY_LOCKED", assertInstanceOf(GatewayReply.Failure.class,
                    signer.authorizeSweep(keysetId, newAddress, 1)).kindName());
            assertTrue(audit.verify().ok());
        }
    }

    @Test
    void aSweptWalletWhoseRetirementWasCutOffIsRetiredByThePeriodicCheck() throws Exception {
        User owner = user();
        User admin = user("ADMIN");
        User admin2 = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Swept sw = lockRotateSweepAndCoSign(owner, admin, admin2, device);
            // the signer is unavailable when the sweep becomes FINALIZED: the retirement after it is cut off
            SignerWatch.unavailableFor = sw.keysetId();
            try {
                until(sw.sweepId(), admin, "FINALIZED");
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!SignerWatch.refused.contains(sw.keysetId()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(SignerWatch.refused.contains(sw.keysetId()), "the retirement asked the signer");
            } finally {
                SignerWatch.unavailableFor = null;
            }
            assertEquals("ACTIVE", send(HttpRequest.GET("/v1/wallets/" + sw.w().walletId()), owner).get("status"),
                    "the retirement was cut off: the wallet stays ACTIVE (its key locked)");
            assertTrue(openIncidents(admin).stream().anyMatch(i -> sw.w().walletId().equals(i.get("walletId"))),
                    "its incident stays open");

            RotationService rotations = context.getBean(RotationService.class);
            assertEquals(1, rotations.retireSwept(), "the periodic check retires it");
            assertEquals("RETIRED", send(HttpRequest.GET("/v1/wallets/" + sw.w().walletId()), owner).get("status"));
            assertTrue(openIncidents(admin).stream().noneMatch(i -> sw.w().walletId().equals(i.get("walletId"))),
                    "the incident is resolved");
            assertEquals(0, rotations.retireSwept(), "nothing left for the next check");
            assertEquals(List.of(), SignerWatch.underLock, "the signer asked while locks were held");
            assertTrue(audit.verify().ok());
        }
    }

    /** What {@link #lockRotateSweepAndCoSign} left: the locked wallet, its successor and the co-signed sweep. */
    private record Swept(Funded w, String keysetId, String newWalletId, String newAddress, BigInteger before,
                         String sweepId) {
    }

    /**
     * A wallet's key locks, an ADMIN rotates it, the owner's device runs the successor's keygen, an ADMIN sweeps, a
     * second approves, and the device co-signs the sweep with the old share (not yet FINALIZED).
     */
    private Swept lockRotateSweepAndCoSign(User owner, User admin, User admin2, TestDevice device) throws Exception {
        Funded w = wallet(owner, "RETAIL", device);
        String keysetId = keysetOf(w.walletId());
        // a presignature made while the key was sound: the sweep must not use it (the signer never signs online with
        // a locked key); the bank answers PRESIGNATURE_UNAVAILABLE, on which a device falls back to sign
        P2Presignature early = device.presign(w.walletId(), w.share()).result();
        assertNotNull(early);

        // a crash between the decryption marker and the verified signature: the next decryption locks the key
        Map.Entry<String, Map<String, Object>> locked = lockByInterruptedDecryption(owner, w, device);
        String transfer = locked.getKey();
        Map<String, Object> refused = locked.getValue();
        assertEquals("KEY_LOCKED", refused.get("code"), () -> "got " + refused);
        assertEquals(Boolean.TRUE, send(HttpRequest.GET("/v1/wallets/" + w.walletId() + "/mpc"), owner)
                .get("locked"));
        until(transfer, owner, "FAILED_SIGN");
        List<Map> open = openIncidents(admin);
        assertTrue(open.stream().anyMatch(i -> w.walletId().equals(i.get("walletId"))),
                "an incident is open for the locked wallet: " + open);

        assertEquals(409, status(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/refresh",
                Map.of("reason", "recover")), admin), "a locked key is never refreshed");
        assertEquals(403, status(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/rotate",
                Map.of("reason", "locked")), owner), "only an ADMIN rotates");
        Map<?, ?> rotation = send(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/rotate",
                Map.of("reason", "key locked after an interrupted decryption")), admin);
        String newWalletId = (String) rotation.get("newWalletId");
        assertNotNull(newWalletId);
        assertEquals(409, status(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/rotate",
                Map.of("reason", "again")), admin), "one rotation per wallet");
        assertEquals(409, status(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/sweep", Map.of()),
                admin), "no sweep before the successor's keygen");
        assertEquals(409, status(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", w.walletId(), "asset",
                "ETH", "to", TO, "amount", "1")), owner), "a rotated wallet sends only its sweep");

        // the owner's device runs the successor's keygen, as for any new wallet
        Map<?, ?> successor = send(HttpRequest.GET("/v1/wallets/" + newWalletId), owner);
        assertEquals("PENDING_KEYGEN", successor.get("status"));
        TestDevice.Keygen k = device.keygen(newWalletId);
        String newAddress = ((String) k.done().get("address")).toLowerCase();
        P2KeyShare newShare = k.share();
        assertNotNull(newShare);

        BigInteger before = balance(w.address());
        Map<?, ?> sweep = send(HttpRequest.POST("/v1/admin/wallets/" + w.walletId() + "/sweep", Map.of()),
                admin);
        assertEquals(newAddress, sweep.get("to"));
        List<?> ids = (List<?>) sweep.get("txRequestIds");
        assertEquals(1, ids.size(), "one request: ETH (no token balances)");
        String sweepId = (String) ids.get(0);
        Map<?, ?> pending = until(sweepId, admin, "APPROVAL_PENDING");
        assertEquals(1, pending.get("requiredApprovals"));
        assertEquals(403, status(HttpRequest.POST("/v1/tx-requests/" + sweepId + "/approve",
                Map.of("decision", "APPROVE")), admin), "the ADMIN who created the sweep cannot approve it");
        send(HttpRequest.POST("/v1/tx-requests/" + sweepId + "/approve", Map.of("decision", "APPROVE",
                "comment", "four eyes on the sweep")), admin2);

        String sweepSignRequest = (String) untilSignRequest(sweepId, owner).get("signRequestId");
        Map<?, ?> sr = send(HttpRequest.GET("/v1/sign-requests/" + sweepSignRequest), owner);
        var online = device.online(sweepSignRequest, SignRequestFields.tx(sr),
                java.util.HexFormat.of().formatHex(SignRequestFields.hash(sr)), w.share(), early);
        assertEquals("PRESIGNATURE_UNAVAILABLE", online.failure().code(), () -> "got " + online.failure());
        Map<String, Object> done = cosign(device, owner, sweepSignRequest, w.share());
        assertEquals("done", done.get("type"), () -> "got " + done);
        return new Swept(w, keysetId, newWalletId, newAddress, before, sweepId);
    }

    @SuppressWarnings("unchecked")
    private List<Map> openIncidents(User admin) {
        return (List<Map>) http.toBlocking().retrieve(HttpRequest.GET("/v1/admin/incidents?status=OPEN")
                .header("Authorization", admin.bearer()), Map.class).get("items");
    }

    private BigInteger balance(String address) throws Exception {
        String hex = (String) rpcResult("eth_getBalance", List.of(address, "latest"));
        return new BigInteger(hex.substring(2), 16);
    }
}
