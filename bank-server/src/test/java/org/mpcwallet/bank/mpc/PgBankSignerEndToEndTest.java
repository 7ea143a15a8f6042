package org.mpcwallet.bank.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.crypto.protocol.sign.PresignP2;
import org.mpcwallet.signer.BankRingPedersen;
import org.mpcwallet.signer.BankSigner;
import org.mpcwallet.signer.KeysetInfo;
import org.mpcwallet.signer.Outcome;
import org.mpcwallet.signer.ProtocolSession;
import org.mpcwallet.signer.permit.PermitFailureKind;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.pg.PgLockRepository;
import org.mpcwallet.signer.pg.PgNonceLedger;
import org.mpcwallet.signer.pg.PgPresignatureRepository;
import org.mpcwallet.signer.pg.PgRingPedersenRepository;
import org.mpcwallet.signer.pg.PgShareRepository;
import org.mpcwallet.signer.spi.StoredShare;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.PresignatureStore;
import org.mpcwallet.signer.store.StoreFailure;

/**
 * BankSigner over the PostgreSQL ports: keygen with shared-crypto's KeygenP2 as the device, presign, online with a
 * valid permit (nonce in PgNonceLedger), a restart over the same database, and a scan of every stored text and bytea
 * value for P1's secrets (x1 and the presignature's k1) in clear.
 */
class PgBankSignerEndToEndTest {
    private static final long NOW = 1_795_000_000_000L;
    private static final String KEYSET = "keyset-e2e-pg";
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate(random("e2e-kek"));
    private static final KeyPair ORCHESTRATOR = PermitKeys.generate(random("e2e-orchestrator"));
    private static final PermitSigner MINT = new PermitSigner(ORCHESTRATOR.getPrivate());

    private final DataSource ds = MpcTestDatabase.shared().dataSource();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final List<ProtocolFailure> lockEvents = new ArrayList<>();
    private int permits;

    private BankSigner signer() {
        return new BankSigner(KEK, new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new PgNonceLedger(ds)),
                new PgShareRepository(ds), new PgPresignatureRepository(ds), new PgLockRepository(ds),
                (k, cause) -> lockEvents.add(cause), new SecureRandom(),
                BankRingPedersen.loadOrCreate(new PgRingPedersenRepository(ds), new SecureRandom()));
    }

    @Test
    void keygenPresignAndOnlineThroughPostgresStoreNoPlaintextSecret() throws Exception {
        // ---- keygen: P1 = BankSigner, P2 = the device (shared-crypto KeygenP2) ----
        BankSigner s = signer();
        byte[] sid = sid("keygen");
        Env env1 = env("keygen/p1");
        Env env2 = env("keygen/p2");
        Outcome.Continue<ProtocolSession<KeygenP1.State>, KeysetInfo> a1 = cont(s.keygenStart(KEYSET, sid, env1));
        Step<KeygenP2.State, P2KeyShare> b1 = KeygenP2.next(KeygenP2.start(sid, TestDevice.DEVICE_PARAMS), a1.outbound(), env2);
        Outcome.Continue<ProtocolSession<KeygenP1.State>, KeysetInfo> a2 =
                cont(s.keygenNext(a1.session(), continued(b1).outbound(),
                env1));
        Step.Done<KeygenP2.State, P2KeyShare> b2 = done(KeygenP2.next(continued(b1).state(), a2.outbound(), env2));
        assertNull(new PgShareRepository(ds).loadCurrent(KEYSET), "nothing stored before P2's confirmation");
        KeysetInfo info = fin(s.keygenNext(a2.session(), b2.outbound(), env1)).result();
        P2KeyShare p2 = b2.result();
        assertEquals(p2.publicKey(), info.publicKey());

        StoredShare stored = new PgShareRepository(ds).loadCurrent(KEYSET);
        assertNotNull(stored, "the sealed share is in keyset_share");
        Result<P1KeyShare, StoreFailure> opened = EncryptedShareStore.open(stored.blob(), KEYSET, KEK);
        assertTrue(opened.isOk(), opened::toString);
        P1KeyShare p1 = opened.value();
        assertEquals(stored.epoch(), p1.epoch());
        byte[] x1 = Scalars.encode(p1.x1());

        // ---- presign twice: one presignature is used, one stays stored for the scan ----
        String used = presign(s, p2, "presign-a");
        P2Presignature usedP2 = lastP2;
        String kept = presign(s, p2, "presign-b");
        assertEquals(List.of(used, kept).stream().sorted().toList(),
                new PgPresignatureRepository(ds).ids(KEYSET).stream().sorted().toList());
        List<byte[]> k1s = new ArrayList<>();
        for (String id : List.of(used, kept)) {
            k1s.add(k1Of(id)); // read before the take: k1 of both presignatures
        }

        // ---- online with a valid permit, on a restarted signer (state comes from PostgreSQL) ----
        BankSigner restarted = signer();
        Eip1559Transaction tx = tx(7);
        byte[][] permit = permit(tx);
        OnlineP2.Result o1 = OnlineP2.encrypt(p2, usedP2, tx.signingHash(), Env.jvm(new SecureRandom()::nextBytes));
        assertNull(o1.failure());
        EcdsaSignature sig = fin(restarted.online(KEYSET, used, permit[0], permit[1], o1.outbound(),
                env("online"))).result();
        assertTrue(Ecdsa.verify(tx.signingHash(), sig, info.publicKey()));
        assertEquals(List.of(kept), new PgPresignatureRepository(ds).ids(KEYSET), "the used one is consumed");

        // the same permit again: its nonce is in permit_nonce (REPLAYED), and the kept presignature is untouched
        Outcome<Void, EcdsaSignature> replay = signer().online(KEYSET, kept, permit[0], permit[1], o1.outbound(),
                env("replay"));
        assertEquals(PermitFailureKind.REPLAYED, assertInstanceOf(Outcome.PermitRefused.class, replay).failure()
                .kind());
        assertEquals(List.of(kept), new PgPresignatureRepository(ds).ids(KEYSET));
        // the used presignature cannot be used again, with a fresh permit
        byte[][] fresh = permit(tx);
        Outcome<Void, EcdsaSignature> again = signer().online(KEYSET, used, fresh[0], fresh[1], o1.outbound(),
                env("again"));
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE,
                assertInstanceOf(Outcome.Aborted.class, again).failure().kind());
        assertTrue(lockEvents.isEmpty());

        // ---- scan: no plaintext x1 or k1 anywhere in the database's text and bytea columns ----
        List<byte[]> secrets = new ArrayList<>();
        secrets.add(x1);
        secrets.addAll(k1s);
        int scannedMpc = scanForSecrets(secrets, true);
        assertTrue(scannedMpc >= 5, "scanned the share, the kept presignature, the nonces: " + scannedMpc);
        scanForSecrets(secrets, false);

        // control: the scan does see a secret that is stored in clear
        String planted = "cc".repeat(32);
        byte[] leak = new byte[40];
        System.arraycopy(x1, 0, leak, 5, 32);
        new PgPresignatureRepository(ds).store(KEYSET, planted, 0, leak);
        try {
            org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                    () -> scanForSecrets(secrets, true));
        } finally {
            assertArrayEquals(leak, new PgPresignatureRepository(ds).take(KEYSET, planted, null).blob());
        }
    }

    /**
     * Reads every text/bytea/json/array column of every table (only this feature's four tables when
     * {@code mpcOnly}, else the whole public schema) and asserts no secret appears in it as raw bytes, hex or
     * decimal. Returns the number of non-null values scanned.
     */
    private int scanForSecrets(List<byte[]> secrets, boolean mpcOnly) throws Exception {
        List<String> mpcTables = List.of("keyset_share", "keyset_lock", "presignature", "permit_nonce");
        List<byte[]> needles = new ArrayList<>();
        secrets.forEach(secret -> needles.addAll(DatabaseScan.forms(secret)));
        DatabaseScan.Result r = DatabaseScan.scan(ds, table -> !mpcOnly || mpcTables.contains(table), needles);
        if (mpcOnly) {
            assertEquals(List.of("keyset_share.keyset_id", "keyset_share.blob", "keyset_lock.keyset_id",
                            "keyset_lock.kind", "keyset_lock.step", "keyset_lock.culprit", "keyset_lock.reason",
                            "keyset_lock.sweep_to",
                            "presignature.keyset_id", "presignature.presig_id", "presignature.blob",
                            "permit_nonce.nonce").stream().sorted().toList(),
                    r.columns().stream().sorted().toList());
        }
        assertEquals(List.of(), r.hits(), "columns holding a secret in clear (raw, hex or decimal)");
        return r.values();
    }

    /** k1 of a stored presignature, opened with the KEK (the plaintext is 01 ‖ id ‖ fingerprint ‖ u32 32 ‖ k1 ‖ …). */
    private byte[] k1Of(String id) throws Exception {
        byte[] blob = null;
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select blob from presignature where keyset_id = ? and presig_id = ?")) {
            ps.setString(1, KEYSET);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                blob = rs.getBytes(1);
            }
        }
        Result<P1Presignature, StoreFailure> p = PresignatureStore.open(blob, KEYSET, id, KEK);
        assertTrue(p.isOk(), p::toString);
        byte[] enc = p.value().encode();
        assertEquals(32, ((enc[65] & 0xff) << 24) | ((enc[66] & 0xff) << 16) | ((enc[67] & 0xff) << 8)
                | (enc[68] & 0xff));
        return Arrays.copyOfRange(enc, 69, 101);
    }

    private P2Presignature lastP2;

    private String presign(BankSigner s, P2KeyShare p2, String label) {
        byte[] sid = sid(label);
        Env env2 = env(label + "/p2");
        Outcome.Continue<ProtocolSession<PresignP1.AwaitingNonce>, String> a1 =
                cont(s.presignStart(KEYSET, sid, env(label + "/p1")));
        Step<PresignP2.State, P2Presignature> b1 = PresignP2.next(PresignP2.start(p2, sid), a1.outbound(), env2);
        Outcome.Done<ProtocolSession<PresignP1.AwaitingNonce>, String> a2 =
                fin(s.presignNext(a1.session(), continued(b1).outbound()));
        Step.Done<PresignP2.State, P2Presignature> b2 = done(PresignP2.next(continued(b1).state(), a2.outbound(),
                env2));
        assertEquals(b2.result().idHex(), a2.result());
        lastP2 = b2.result();
        return a2.result();
    }

    private byte[][] permit(Eip1559Transaction tx) {
        byte[] nonce = Arrays.copyOf(sid("nonce-" + ++permits), 16);
        SigningPermit p = SigningPermit.forTransaction("req-" + permits, "wallet-1", KEYSET, tx, NOW - 500,
                NOW + 30_000, nonce, List.of(new SigningPermit.Control("policy.limit", "pass")), new byte[32]);
        return new byte[][] {p.encode(), MINT.sign(p)};
    }

    private static Eip1559Transaction tx(long nonce) {
        byte[] to = new byte[20];
        Arrays.fill(to, (byte) 0x42);
        return new Eip1559Transaction(BigInteger.ONE, BigInteger.valueOf(nonce), BigInteger.valueOf(2_000_000_000L),
                BigInteger.valueOf(30_000_000_000L), BigInteger.valueOf(21_000), new EthAddress(to),
                BigInteger.TEN.pow(18), new byte[0]);
    }

    private static Env env(String label) {
        return Env.jvm(DeterministicRandom.fromLabel("bank-server-mpc-test/" + label));
    }

    private static byte[] sid(String label) {
        return Sha256.hash(("bank-server-mpc-test/sid/" + label).getBytes(StandardCharsets.UTF_8));
    }

    private static SecureRandom random(String label) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(label.getBytes(StandardCharsets.UTF_8));
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <S, R> Step.Continue<S, R> continued(Step<S, R> step) {
        return assertInstanceOf(Step.Continue.class, step, () -> "P2 aborted: " + step);
    }

    private static <S, R> Step.Done<S, R> done(Step<S, R> step) {
        return assertInstanceOf(Step.Done.class, step, () -> "P2 aborted: " + step);
    }

    private static <S, R> Outcome.Continue<S, R> cont(Outcome<S, R> o) {
        return assertInstanceOf(Outcome.Continue.class, o, () -> "P1: " + o);
    }

    private static <S, R> Outcome.Done<S, R> fin(Outcome<S, R> o) {
        return assertInstanceOf(Outcome.Done.class, o, () -> "P1: " + o);
    }
}
