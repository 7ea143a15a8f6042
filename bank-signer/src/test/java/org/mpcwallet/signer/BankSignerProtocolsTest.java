package org.mpcwallet.signer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.refresh.RefreshP1;
import org.mpcwallet.crypto.protocol.refresh.RefreshP2;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.crypto.protocol.sign.PresignP2;
import org.mpcwallet.crypto.protocol.sign.SignMessages;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.signer.permit.InMemoryNonceLedger;
import org.mpcwallet.signer.permit.PermitFailureKind;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.spi.InMemoryLockRepository;
import org.mpcwallet.signer.spi.InMemoryPresignatureRepository;
import org.mpcwallet.signer.spi.InMemoryShareRepository;
import org.mpcwallet.signer.spi.LockRepository;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.PresignatureRepository;
import org.mpcwallet.signer.spi.ShareRepository;
import org.mpcwallet.signer.spi.StoredShare;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.PresignatureStore;
import org.mpcwallet.signer.store.StoreFailure;
import org.mpcwallet.signer.testing.TestKeys;

/** Keygen, refresh, presign and online through BankSigner and its persistence ports, P2 from shared-crypto. */
class BankSignerProtocolsTest {
    private static final long NOW = 1_795_000_000_000L;
    private static final String KEYSET = "keyset-main";
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate(TestKeys.random("protocols-kek"));
    private static final KeyPair ORCHESTRATOR = PermitKeys.generate(TestKeys.random("protocols-orchestrator"));
    private static final PermitSigner MINT = new PermitSigner(ORCHESTRATOR.getPrivate());

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final InMemoryShareRepository shareRepo = new InMemoryShareRepository();
    private final InMemoryPresignatureRepository presigRepo = new InMemoryPresignatureRepository();
    private final InMemoryLockRepository lockRepo = new InMemoryLockRepository();
    private final List<ProtocolFailure> lockEvents = new ArrayList<>();
    private int nonces;

    private BankSigner signer(ShareRepository shares, PresignatureRepository presigs, LockRepository locks) {
        return new BankSigner(KEK, new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new InMemoryNonceLedger(clock)),
                shares, presigs, locks, (k, cause) -> lockEvents.add(cause), TestKeys.random("protocols-seal"), TestKeys.bankParams());
    }

    private BankSigner signer() {
        return signer(shareRepo, presigRepo, lockRepo);
    }

    /** Stores the shared test key (TestKeys) as KEYSET's current share. */
    private void storeTestKey() {
        shareRepo.save(KEYSET, TestKeys.p1().epoch(),
                EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("protocols-store")));
    }

    private byte[][] permit(Eip1559Transaction tx, long issuedAt, long expiresAt) {
        byte[] nonce = new byte[16];
        nonce[0] = (byte) ++nonces;
        nonce[1] = 0x5a;
        SigningPermit p = SigningPermit.forTransaction("req-" + nonces, "wallet-1", KEYSET, tx, issuedAt, expiresAt,
                nonce, TestKeys.controls(), new byte[32]);
        return new byte[][] {p.encode(), MINT.sign(p)};
    }

    private byte[][] permit(Eip1559Transaction tx) {
        return permit(tx, NOW - 500, NOW + 30_000);
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

    /** A presignature pair: P1's id (stored by the signer) and P2's half. */
    private record Presig(String id, P2Presignature p2) {}

    private Presig presign(BankSigner s, P2KeyShare p2, String label) {
        byte[] sid = TestKeys.sid(label);
        Env env2 = TestKeys.env(label + "/p2");
        Outcome.Continue<ProtocolSession<PresignP1.AwaitingNonce>, String> a1 = cont(s.presignStart(KEYSET, sid,
                TestKeys.env(label + "/p1")));
        Step<PresignP2.State, P2Presignature> b1 = PresignP2.next(PresignP2.start(p2, sid), a1.outbound(), env2);
        Outcome.Done<ProtocolSession<PresignP1.AwaitingNonce>, String> a2 =
                fin(s.presignNext(a1.session(), b1.outbound()));
        assertNotNull(a2.outbound(), "S3 is released");
        Step.Done<PresignP2.State, P2Presignature> b2 = done(PresignP2.next(continued(b1).state(), a2.outbound(),
                env2));
        assertEquals(b2.result().idHex(), a2.result());
        return new Presig(a2.result(), b2.result());
    }

    private static byte[] o1(P2KeyShare p2, Presig presig, Eip1559Transaction tx) {
        OnlineP2.Result r = OnlineP2.encrypt(p2, presig.p2(), tx.signingHash(), TestKeys.env("online-p2"));
        assertNull(r.failure());
        return r.outbound();
    }

    private Outcome<Void, EcdsaSignature> online(BankSigner s, Presig presig, Eip1559Transaction tx, byte[] o1) {
        byte[][] permit = permit(tx);
        return s.online(KEYSET, presig.id(), permit[0], permit[1], o1, TestKeys.env("online"));
    }

    // ---- keygen ---------------------------------------------------------------------------------------------

    @Test
    void keygenEndToEndSavesTheSealedShareBeforeDoneAndQMatchesP2() {
        BankSigner s = signer();
        String keyset = "keyset-new";
        byte[] sid = TestKeys.sid("keygen-e2e");
        Env env1 = TestKeys.env("keygen-e2e/p1");
        Env env2 = TestKeys.env("keygen-e2e/p2");
        Outcome.Continue<ProtocolSession<KeygenP1.State>, KeysetInfo> a1 = cont(s.keygenStart(keyset, sid, env1));
        Step<KeygenP2.State, P2KeyShare> b1 =
                KeygenP2.next(KeygenP2.start(sid, TestKeys.deviceParams()), a1.outbound(), env2);
        Outcome.Continue<ProtocolSession<KeygenP1.State>, KeysetInfo> a2 =
                cont(s.keygenNext(a1.session(), b1.outbound(), env1));
        assertTrue(a2.session().toString().contains("redacted"));
        Step.Done<KeygenP2.State, P2KeyShare> b2 = done(KeygenP2.next(continued(b1).state(), a2.outbound(), env2));
        assertNull(shareRepo.loadCurrent(keyset), "nothing stored before the last step");
        Outcome.Done<ProtocolSession<KeygenP1.State>, KeysetInfo> a3 =
                fin(s.keygenNext(a2.session(), b2.outbound(), env1));

        P2KeyShare p2 = b2.result();
        assertEquals(p2.publicKey(), a3.result().publicKey());
        assertFalse(a3.result().locked());
        StoredShare stored = shareRepo.loadCurrent(keyset);
        assertNotNull(stored);
        Result<P1KeyShare, StoreFailure> opened = EncryptedShareStore.open(stored.blob(), keyset, KEK);
        assertTrue(opened.isOk(), opened::toString);
        assertEquals(p2.publicKey(), opened.value().publicKey());
        assertEquals(stored.epoch(), opened.value().epoch());
        assertEquals(a3.result(), s.keyset(keyset));

        // storage never holds x1 in clear
        assertNoPlaintext(Scalars.encode(opened.value().x1()));
        // keygen never overwrites a key
        Outcome<ProtocolSession<KeygenP1.State>, KeysetInfo> again =
                s.keygenStart(keyset, TestKeys.sid("keygen-again"), env1);
        assertEquals(SignerFailureKind.KEYSET_EXISTS,
                assertInstanceOf(Outcome.Failed.class, again).failure().kind());
        assertEquals(SignerFailureKind.KEYSET_EXISTS, assertInstanceOf(Outcome.Failed.class,
                signer().keygenStart(keyset, TestKeys.sid("keygen-again-2"), env1)).failure().kind());
    }

    // ---- refresh --------------------------------------------------------------------------------------------

    /** Drives a refresh of KEYSET with P2 = {@code p2}; returns P1's last outcome and P2's new share. */
    private record RefreshRun(Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> p1, P2KeyShare p2) {}

    private RefreshRun refresh(BankSigner s, P2KeyShare p2, String label) {
        byte[] sid = TestKeys.sid(label);
        Env env1 = TestKeys.env(label + "/p1");
        Env env2 = TestKeys.env(label + "/p2");
        Outcome.Continue<ProtocolSession<RefreshP1.State>, KeysetInfo> a1 = cont(s.refreshStart(KEYSET, sid, env1));
        Step<RefreshP2.State, P2KeyShare> b1 =
                RefreshP2.next(RefreshP2.start(p2, sid, TestKeys.deviceParams()), a1.outbound(), env2);
        Outcome.Continue<ProtocolSession<RefreshP1.State>, KeysetInfo> a2 =
                cont(s.refreshNext(a1.session(), b1.outbound(), env1));
        Step.Done<RefreshP2.State, P2KeyShare> b2 = done(RefreshP2.next(continued(b1).state(), a2.outbound(), env2));
        return new RefreshRun(s.refreshNext(a2.session(), b2.outbound(), env1), b2.result());
    }

    @Test
    void refreshReplacesTheShareOnlyOnceTheNewEpochIsDurable() {
        storeTestKey();
        BankSigner s = signer();
        Presig old = presign(s, TestKeys.p2(), "refresh-old-presig");
        // a failing save: the refresh finishes on both sides but P1 cannot store the new epoch
        boolean[] failReplace = {true};
        ShareRepository flaky = new ShareRepository() {
            @Override
            public void save(String k, int e, byte[] b) {
                shareRepo.save(k, e, b);
            }

            @Override
            public StoredShare loadCurrent(String k) {
                return shareRepo.loadCurrent(k);
            }

            @Override
            public void replaceEpoch(String k, int from, int to, byte[] b) {
                if (failReplace[0]) {
                    throw new PersistenceException("database unavailable");
                }
                shareRepo.replaceEpoch(k, from, to, b);
            }
        };
        BankSigner restarted = signer(flaky, presigRepo, lockRepo);
        byte[] oldBlob = shareRepo.loadCurrent(KEYSET).blob();
        int oldEpoch = TestKeys.p1().epoch();

        RefreshRun failed = refresh(restarted, TestKeys.p2(), "refresh-fail");
        assertEquals(SignerFailureKind.PERSISTENCE_FAILED,
                assertInstanceOf(Outcome.Failed.class, failed.p1()).failure().kind());
        assertArrayEquals(oldBlob, shareRepo.loadCurrent(KEYSET).blob(), "old share stays");
        assertEquals(oldEpoch, restarted.keyset(KEYSET).epoch());

        // the device discards its unconfirmed epoch; the retry succeeds
        failReplace[0] = false;
        RefreshRun ok = refresh(restarted, TestKeys.p2(), "refresh-ok");
        KeysetInfo info = fin(ok.p1()).result();
        assertEquals(oldEpoch + 1, info.epoch());
        assertFalse(info.locked());
        assertEquals(TestKeys.p1().publicKey(), info.publicKey());
        assertEquals(oldEpoch + 1, shareRepo.loadCurrent(KEYSET).epoch());
        assertTrue(presigRepo.ids(KEYSET).isEmpty(), "old presignatures dropped");
        assertNotNull(old);

        // signing works with the refreshed shares, also after a restart
        BankSigner after = signer();
        Presig fresh = presign(after, ok.p2(), "refresh-new-presig");
        Eip1559Transaction tx = TestKeys.tx(40);
        Outcome.Done<Void, EcdsaSignature> signed = fin(online(after, fresh, tx, o1(ok.p2(), fresh, tx)));
        assertTrue(Ecdsa.verify(tx.signingHash(), signed.result(), TestKeys.p1().publicKey()));
    }

    /**
     * A locked key is retired for good (docs/protocol.md §6.4): a refresh is refused at R1 when the lock is in the
     * repository (also one written by another instance after this one loaded the key), and a lock written while a
     * refresh runs stops it before the share is replaced. The lock is never cleared.
     */
    @Test
    void aLockedKeyIsNeverRefreshed() {
        storeTestKey();
        BankSigner s = signer();
        assertFalse(s.keyset(KEYSET).locked());
        ProtocolFailure cause = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", null, "test lock");
        // another instance locks the key after this one loaded it
        lockRepo.lock(KEYSET, cause);
        Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> refused =
                s.refreshStart(KEYSET, TestKeys.sid("locked-refresh"),
                TestKeys.env("locked-refresh"));
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, refused).failure().kind());
        assertEquals(cause, lockRepo.current(KEYSET), "the lock stays");
        BankSigner restarted = signer();
        assertTrue(restarted.keyset(KEYSET).locked());
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, restarted.refreshStart(KEYSET,
                TestKeys.sid("locked-refresh-2"), TestKeys.env("locked-refresh-2"))).failure().kind());

        // a lock that arrives during a refresh
        InMemoryLockRepository locks2 = new InMemoryLockRepository();
        InMemoryShareRepository shares2 = new InMemoryShareRepository();
        shares2.save(KEYSET, TestKeys.p1().epoch(),
                EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("protocols-store-2")));
        BankSigner s2 = signer(shares2, new InMemoryPresignatureRepository(), locks2);
        byte[] oldBlob = shares2.loadCurrent(KEYSET).blob();
        byte[] sid = TestKeys.sid("refresh-race");
        Env env1 = TestKeys.env("refresh-race/p1");
        Env env2 = TestKeys.env("refresh-race/p2");
        Outcome.Continue<ProtocolSession<RefreshP1.State>, KeysetInfo> a1 = cont(s2.refreshStart(KEYSET, sid, env1));
        Step<RefreshP2.State, P2KeyShare> b1 =
                RefreshP2.next(RefreshP2.start(TestKeys.p2(), sid, TestKeys.deviceParams()), a1.outbound(), env2);
        Outcome.Continue<ProtocolSession<RefreshP1.State>, KeysetInfo> a2 =
                cont(s2.refreshNext(a1.session(), b1.outbound(), env1));
        Step<RefreshP2.State, P2KeyShare> b2 = RefreshP2.next(continued(b1).state(), a2.outbound(), env2);
        locks2.lock(KEYSET, cause);
        Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> last = s2.refreshNext(a2.session(), b2.outbound(), env1);
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, last).failure().kind());
        assertArrayEquals(oldBlob, shares2.loadCurrent(KEYSET).blob(), "the retired share is not replaced");
        assertEquals(cause, locks2.current(KEYSET));
    }

    // ---- state read from storage before every decryption (docs/protocol.md §6.4, checklist row 18) -----------

    /** P2's side of a SIGN session up to round 4, against signer {@code s}; returns P1's session and round 4. */
    private record OpenSign(SignSession session, byte[] round4) {}

    private OpenSign openSign(BankSigner s, P2KeyShare p2, Eip1559Transaction tx, String label) {
        byte[][] permit = permit(tx);
        byte[] sid = TestKeys.sid(label);
        Env env1 = TestKeys.env(label + "/p1");
        Env env2 = TestKeys.env(label + "/p2");
        Outcome.Continue<SignSession, EcdsaSignature> c1 = cont(s.signStart(KEYSET, sid, permit[0], permit[1], env1));
        Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(p2, sid, tx.signingHash()), c1.outbound(), env2);
        Outcome.Continue<SignSession, EcdsaSignature> c3 = cont(s.signNext(c1.session(), b1.outbound(),
                env1));
        Step<SignP2.State, SignP2.Sent> b2 = SignP2.next(continued(b1).state(), c3.outbound(), env2);
        return new OpenSign(c3.session(), b2.outbound());
    }

    /** A lock written by another instance is honoured by a session this instance had already opened. */
    @Test
    void aLockWrittenElsewhereStopsAnOpenSessionBeforeDecryption() {
        storeTestKey();
        BankSigner s = signer();
        Presig a = presign(s, TestKeys.p2(), "elsewhere-a");
        OpenSign open = openSign(s, TestKeys.p2(), TestKeys.tx(50), "elsewhere-sign");
        lockRepo.lock(KEYSET, new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", null, "instance A"));
        Outcome<SignSession, EcdsaSignature> r =
                s.signNext(open.session(), open.round4(), TestKeys.env("elsewhere-sign/p1"));
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, r).failure().kind());
        Eip1559Transaction tx = TestKeys.tx(51);
        Outcome<Void, EcdsaSignature> o = online(s, a, tx, o1(TestKeys.p2(), a, tx));
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, o).failure().kind());
        assertEquals(List.of(a.id()), presigRepo.ids(KEYSET), "refused before the presignature is taken");
        assertTrue(s.keyset(KEYSET).locked(), "the instance now holds the key as locked");
        assertEquals(0, lockRepo.markerCount(), "nothing was decrypted");
    }

    /**
     * Two instances over one storage: a refresh on A is seen by B before it decrypts. B's session opened on the old
     * epoch ends before decryption (no lock); the device with the new share then signs through B; the old share is
     * refused through B before decryption (its message names the old epoch).
     */
    @Test
    void aRefreshOnAnotherInstanceIsSeenBeforeDecryption() {
        storeTestKey();
        BankSigner a = signer();
        BankSigner b = signer();
        OpenSign stale = openSign(b, TestKeys.p2(), TestKeys.tx(52), "two-instances-stale");
        RefreshRun refreshed = refresh(a, TestKeys.p2(), "two-instances-refresh");
        fin(refreshed.p1());
        Outcome<SignSession, EcdsaSignature> r =
                b.signNext(stale.session(), stale.round4(), TestKeys.env("two-instances-stale/p1"));
        ProtocolFailure f = assertInstanceOf(Outcome.Aborted.class, r).failure();
        assertEquals(FailureKind.INCONSISTENT_STATE, f.kind(), f::toString);
        assertNull(lockRepo.current(KEYSET));

        OpenSign fresh = openSign(b, refreshed.p2(), TestKeys.tx(53), "two-instances-new");
        Outcome<SignSession, EcdsaSignature> ok =
                b.signNext(fresh.session(), fresh.round4(), TestKeys.env("two-instances-new/p1"));
        assertTrue(Ecdsa.verify(TestKeys.tx(53).signingHash(),
                fin(ok).result(), TestKeys.p1().publicKey()));

        OpenSign old = openSign(b, TestKeys.p2(), TestKeys.tx(54), "two-instances-old");
        Outcome<SignSession, EcdsaSignature> refused =
                b.signNext(old.session(), old.round4(), TestKeys.env("two-instances-old/p1"));
        assertEquals(FailureKind.INCONSISTENT_STATE,
                assertInstanceOf(Outcome.Aborted.class, refused).failure().kind());
        assertNull(lockRepo.current(KEYSET), "a stale device share never locks the key");
        assertEquals(0, lockRepo.markerCount());
    }

    /**
     * Instance B holds epoch 0 in memory (it signed with it); the key is refreshed through A; B's next session starts
     * on the stored epoch, so the device's new share signs through B at the first attempt, and the old share is
     * refused there before decryption.
     */
    @Test
    void aSessionStartedAfterARefreshElsewhereRunsOnTheNewEpoch() {
        storeTestKey();
        BankSigner a = signer();
        BankSigner b = signer();
        OpenSign warm = openSign(b, TestKeys.p2(), TestKeys.tx(58), "after-refresh-warm");
        fin(b.signNext(warm.session(), warm.round4(),
                TestKeys.env("after-refresh-warm/p1")));
        RefreshRun refreshed = refresh(a, TestKeys.p2(), "after-refresh-refresh");
        fin(refreshed.p1());
        OpenSign fresh = openSign(b, refreshed.p2(), TestKeys.tx(59), "after-refresh-new");
        assertInstanceOf(Outcome.Done.class, b.signNext(fresh.session(), fresh.round4(),
                TestKeys.env("after-refresh-new/p1")), "the first attempt signs");
        assertEquals(TestKeys.p1().epoch() + 1, b.keyset(KEYSET).epoch());
        OpenSign old = openSign(b, TestKeys.p2(), TestKeys.tx(60), "after-refresh-old");
        assertEquals(FailureKind.INCONSISTENT_STATE, assertInstanceOf(Outcome.Aborted.class,
                b.signNext(old.session(), old.round4(), TestKeys.env("after-refresh-old/p1"))).failure().kind());
        assertNull(lockRepo.current(KEYSET));
    }

    /** A decryption marker left behind (kill -9 between the marker and the verified signature) locks the key. */
    @Test
    void anInterruptedDecryptionLocksTheKeyForGood() {
        storeTestKey();
        lockRepo.beginDecryptionAt(KEYSET, "crashed-session",
                System.currentTimeMillis() - (BankSigner.INTERRUPTED_DECRYPTION_SECONDS + 5) * 1000L);
        BankSigner restarted = signer();
        Presig p = presign(restarted, TestKeys.p2(), "interrupted");
        Eip1559Transaction tx = TestKeys.tx(55);
        Outcome<Void, EcdsaSignature> o = online(restarted, p, tx, o1(TestKeys.p2(), p, tx));
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, o).failure().kind());
        ProtocolFailure lock = lockRepo.current(KEYSET);
        assertEquals(FailureKind.KEY_COMPROMISE_RISK, lock.kind());
        assertTrue(lock.reason().contains("interrupted"), lock::toString);
        assertEquals(1, lockEvents.size());
        assertTrue(signer().keyset(KEYSET).locked(), "locked after a restart too");
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, signer().refreshStart(KEYSET,
                TestKeys.sid("interrupted-refresh"), TestKeys.env("interrupted-refresh"))).failure().kind());
    }

    /** A fresh marker (another instance decrypting right now) does not lock; a verified signature leaves none. */
    @Test
    void aRunningDecryptionElsewhereDoesNotLockAndASignatureLeavesNoMarker() {
        storeTestKey();
        lockRepo.beginDecryption(KEYSET, "running-elsewhere");
        BankSigner s = signer();
        Presig p = presign(s, TestKeys.p2(), "running");
        Eip1559Transaction tx = TestKeys.tx(56);
        fin(online(s, p, tx, o1(TestKeys.p2(), p, tx)));
        assertNull(lockRepo.current(KEYSET));
        assertEquals(1, lockRepo.markerCount(), "only the other instance's marker is left");
        lockRepo.endDecryption(KEYSET, "running-elsewhere");
        OpenSign open = openSign(s, TestKeys.p2(), TestKeys.tx(57), "running-sign");
        fin(s.signNext(open.session(), open.round4(),
                TestKeys.env("running-sign/p1")));
        assertEquals(0, lockRepo.markerCount());
    }

    // ---- presign + online -----------------------------------------------------------------------------------

    @Test
    void presignAndOnlineEndToEndWithAValidPermit() {
        storeTestKey();
        BankSigner s = signer();
        Presig presig = presign(s, TestKeys.p2(), "e2e-presig");
        assertEquals(List.of(presig.id()), s.presignatureIds(KEYSET));
        Eip1559Transaction tx = TestKeys.tx(11);
        Outcome.Done<Void, EcdsaSignature> d = fin(online(s, presig, tx, o1(TestKeys.p2(), presig, tx)));
        assertTrue(Ecdsa.verify(tx.signingHash(), d.result(), TestKeys.p1().publicKey()));
        assertTrue(presigRepo.ids(KEYSET).isEmpty(), "consumed");
        assertTrue(lockEvents.isEmpty());
    }

    @Test
    void thePoolKeepsTheNewestPresignaturesAndAnOneDroppedIsUnavailableNeverUsed() {
        storeTestKey();
        BankSigner s = signer();
        List<Presig> made = new ArrayList<>();
        for (int i = 0; i <= BankSigner.MAX_PRESIGNATURES; i++) {
            made.add(presign(s, TestKeys.p2(), "pool-" + i));
        }
        List<String> stored = s.presignatureIds(KEYSET);
        assertEquals(BankSigner.MAX_PRESIGNATURES, stored.size(), "one more than the bound drops one");
        assertEquals(made.subList(1, made.size()).stream().map(Presig::id).toList(), stored, "the oldest dropped");

        Eip1559Transaction tx = TestKeys.tx(12);
        Presig oldest = made.get(0);
        Outcome<Void, EcdsaSignature> refused = online(s, oldest, tx, o1(TestKeys.p2(), oldest, tx));
        Outcome.Aborted<Void, EcdsaSignature> a = assertInstanceOf(Outcome.Aborted.class, refused, refused::toString);
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, a.failure().kind());
        assertTrue(lockEvents.isEmpty(), "a dropped presignature locks nothing");

        Presig newest = made.get(made.size() - 1);
        Outcome.Done<Void, EcdsaSignature> d = fin(online(s, newest, tx, o1(TestKeys.p2(), newest, tx)));
        assertTrue(Ecdsa.verify(tx.signingHash(), d.result(), TestKeys.p1().publicKey()));
        assertEquals(BankSigner.MAX_PRESIGNATURES - 1, s.presignatureIds(KEYSET).size());
    }

    @Test
    void onlineWithoutOrWithAnExpiredPermitIsRefusedBeforeThePresignatureIsTouched() {
        storeTestKey();
        BankSigner s = signer();
        Presig presig = presign(s, TestKeys.p2(), "permit-presig");
        Eip1559Transaction tx = TestKeys.tx(12);
        byte[] o1 = o1(TestKeys.p2(), presig, tx);
        Env env = TestKeys.env("permit-online");

        byte[][] valid = permit(tx);
        byte[] forged = new PermitSigner(PermitKeys.generate(TestKeys.random("forger")).getPrivate())
                .signEncoding(valid[0]);
        assertPermit(PermitFailureKind.BAD_SIGNATURE, s.online(KEYSET, presig.id(), valid[0], forged, o1, env));
        assertPermit(PermitFailureKind.MALFORMED, s.online(KEYSET, presig.id(), null, null, o1, env));
        byte[][] expired = permit(tx, NOW - 40_000, NOW - 10_000);
        assertPermit(PermitFailureKind.EXPIRED, s.online(KEYSET, presig.id(), expired[0], expired[1], o1, env));
        assertEquals(List.of(presig.id()), presigRepo.ids(KEYSET), "presignature still available");

        Outcome.Done<Void, EcdsaSignature> d = fin(s.online(KEYSET, presig.id(), valid[0], valid[1], o1, env));
        assertTrue(Ecdsa.verify(tx.signingHash(), d.result(), TestKeys.p1().publicKey()));
    }

    private static void assertPermit(PermitFailureKind kind, Outcome<Void, EcdsaSignature> o) {
        assertEquals(kind, assertInstanceOf(Outcome.PermitRefused.class, o).failure().kind());
    }

    @Test
    void aPresignatureIsUsedOnceEvenAcrossARestart() {
        storeTestKey();
        BankSigner first = signer();
        Presig a = presign(first, TestKeys.p2(), "once-a");
        Presig b = presign(first, TestKeys.p2(), "once-b");
        Eip1559Transaction tx = TestKeys.tx(13);
        byte[] o1a = o1(TestKeys.p2(), a, tx);
        fin(online(first, a, tx, o1a));

        BankSigner second = signer(); // restart over the same repositories
        Outcome<Void, EcdsaSignature> replay = online(second, a, tx, o1a);
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE,
                assertInstanceOf(Outcome.Aborted.class, replay).failure().kind());
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE,
                assertInstanceOf(Outcome.Aborted.class, online(first, a, tx, o1a)).failure().kind());
        // a presignature stored before the restart is usable once by the new instance
        Eip1559Transaction tx2 = TestKeys.tx(14);
        Outcome.Done<Void, EcdsaSignature> d = fin(online(second, b, tx2, o1(TestKeys.p2(), b, tx2)));
        assertTrue(Ecdsa.verify(tx2.signingHash(), d.result(), TestKeys.p1().publicKey()));
        assertTrue(presigRepo.ids(KEYSET).isEmpty());
    }

    @Test
    void aCrashBetweenTakeAndFinishLeavesThePresignatureConsumed() {
        storeTestKey();
        BankSigner s = signer();
        Presig presig = presign(s, TestKeys.p2(), "crash-presig");
        PresignatureRepository crashing = new PresignatureRepository() {
            @Override
            public void store(String k, String id, int e, byte[] blob) {
                presigRepo.store(k, id, e, blob);
            }

            @Override
            public Taken take(String k, String id, org.mpcwallet.signer.spi.LedgerMark highWater) {
                presigRepo.take(k, id, highWater); // the delete is committed ...
                throw new PersistenceException("connection lost"); // ... and the process dies before using it
            }

            @Override
            public org.mpcwallet.signer.spi.LedgerMark restored() {
                return presigRepo.restored();
            }

            @Override
            public void dropBefore(String k, int e) {
                presigRepo.dropBefore(k, e);
            }

            @Override
            public int keepNewest(String k, int max) {
                return presigRepo.keepNewest(k, max);
            }

            @Override
            public List<String> ids(String k) {
                return presigRepo.ids(k);
            }
        };
        Eip1559Transaction tx = TestKeys.tx(15);
        byte[] o1 = o1(TestKeys.p2(), presig, tx);
        Outcome<Void, EcdsaSignature> crashed = online(signer(shareRepo, crashing, lockRepo), presig, tx, o1);
        assertEquals(SignerFailureKind.PERSISTENCE_FAILED,
                assertInstanceOf(Outcome.Failed.class, crashed).failure().kind());

        Outcome<Void, EcdsaSignature> after = online(signer(), presig, tx, o1);
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE,
                assertInstanceOf(Outcome.Aborted.class, after).failure().kind());
        assertTrue(presigRepo.ids(KEYSET).isEmpty(), "never resurrected");
    }

    // ---- restored database backups (issue 9 item 4, docs/operations.md "Restoring a database backup") -------------

    private BankSigner signer(org.mpcwallet.signer.spi.PresignatureHighWater mark) {
        return new BankSigner(KEK, new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new InMemoryNonceLedger(clock)),
                shareRepo, presigRepo, lockRepo, (k, cause) -> lockEvents.add(cause), TestKeys.random("restore-seal"),
                TestKeys.bankParams(), mark);
    }

    /**
     * A malicious device keeps a copy of its presignature; the bank's database is restored from a backup taken before
     * the presignature was used, and the operator forgets the restore step. The signer's high-water mark, kept in a
     * file outside the database, is ahead of the restored ledger: the signer drops every stored presignature instead
     * of using one twice (two signatures with one nonce would give the device the whole key).
     */
    @Test
    void aRestoredDatabaseNeverHandsOutAUsedPresignatureAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        storeTestKey();
        java.nio.file.Path file = dir.resolve("presign-high-water");
        BankSigner s = signer(new org.mpcwallet.signer.store.FileHighWater(file));
        Presig a = presign(s, TestKeys.p2(), "restore-a");
        Presig b = presign(s, TestKeys.p2(), "restore-b");
        Presig keptByDevice = new Presig(a.id(), P2Presignature.decode(a.p2().encode()));
        InMemoryPresignatureRepository backup = presigRepo.snapshot();

        Eip1559Transaction tx1 = TestKeys.tx(30);
        assertInstanceOf(Outcome.Done.class, online(s, a, tx1, o1(TestKeys.p2(), a, tx1)));
        assertEquals(new org.mpcwallet.signer.spi.LedgerMark(0, 1),
                new org.mpcwallet.signer.store.FileHighWater(file).read());

        presigRepo.restoreFrom(backup);
        assertTrue(presigRepo.ids(KEYSET).contains(a.id()), "the backup brings the used presignature back");
        BankSigner restarted = signer(new org.mpcwallet.signer.store.FileHighWater(file));
        Eip1559Transaction tx2 = TestKeys.tx(31);
        Outcome<Void, EcdsaSignature> again = online(restarted, keptByDevice, tx2, o1(TestKeys.p2(), keptByDevice,
                tx2));
        ProtocolFailure f = assertInstanceOf(Outcome.Aborted.class, again).failure();
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, f.kind());
        assertTrue(f.reason().contains("restored from a backup"), f::toString);
        assertTrue(presigRepo.ids(KEYSET).isEmpty(), "every restored presignature is dropped, b too: " + b.id());
        assertEquals(1, new org.mpcwallet.signer.store.FileHighWater(file).read().restoreEpoch());
        assertTrue(lockEvents.isEmpty(), "nothing was decrypted and nothing locks");

        Presig fresh = presign(restarted, TestKeys.p2(), "restore-fresh");
        Eip1559Transaction tx3 = TestKeys.tx(32);
        assertInstanceOf(Outcome.Done.class, online(restarted, fresh, tx3, o1(TestKeys.p2(), fresh, tx3)),
                "presignatures made after the restore sign");
    }

    /** The operator's restore step works without any high-water mark (a new host, the mark file lost). */
    @Test
    void theOperatorsRestoreStepDropsThePoolEvenWithoutAMark() {
        storeTestKey();
        BankSigner s = signer(new org.mpcwallet.signer.spi.InMemoryHighWater());
        Presig a = presign(s, TestKeys.p2(), "step-a");
        Presig keptByDevice = new Presig(a.id(), P2Presignature.decode(a.p2().encode()));
        InMemoryPresignatureRepository backup = presigRepo.snapshot();
        Eip1559Transaction tx1 = TestKeys.tx(33);
        assertInstanceOf(Outcome.Done.class, online(s, a, tx1, o1(TestKeys.p2(), a, tx1)));

        presigRepo.restoreFrom(backup);
        assertEquals(1, presigRepo.restored().restoreEpoch(), "backup-restored bumps the restore epoch");
        BankSigner onNewHost = signer(new org.mpcwallet.signer.spi.InMemoryHighWater());
        Eip1559Transaction tx2 = TestKeys.tx(34);
        ProtocolFailure f = assertInstanceOf(Outcome.Aborted.class, online(onNewHost, keptByDevice, tx2,
                o1(TestKeys.p2(), keptByDevice, tx2))).failure();
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, f.kind());
    }

    /** A tampered O1 is refused before decryption (PROOF_INVALID): no lock, the presignature is spent anyway. */
    @Test
    void tamperedO1IsRefusedBeforeDecryptionAndDoesNotLock() {
        storeTestKey();
        BankSigner s = signer();
        Presig a = presign(s, TestKeys.p2(), "tamper-a");
        Presig b = presign(s, TestKeys.p2(), "tamper-b");
        Eip1559Transaction tx = TestKeys.tx(16);
        BigInteger n = TestKeys.p2().paillier().n();
        Envelope e = Envelope.decode(o1(TestKeys.p2(), a, tx));
        SignMessages.O1 body = SignMessages.O1.decode(e.body());
        BigInteger c3 = body.c3().multiply(n.add(BigInteger.ONE)).mod(n.multiply(n));
        byte[] tampered = new Envelope(e.protocol(), e.sessionId(), e.round(), e.sender(),
                new SignMessages.O1(body.keyFingerprint(), body.messageHash(), c3, body.proof()).encode()).encode();
        Outcome<Void, EcdsaSignature> r = online(s, a, tx, tampered);
        assertEquals(FailureKind.PROOF_INVALID, assertInstanceOf(Outcome.Aborted.class, r).failure().kind());
        assertNull(lockRepo.current(KEYSET), "no lock");
        assertTrue(lockEvents.isEmpty());
        assertFalse(s.keyset(KEYSET).locked());
        assertEquals(List.of(b.id()), presigRepo.ids(KEYSET), "the tampered session's presignature is spent");
        Eip1559Transaction tx2 = TestKeys.tx(17);
        Outcome.Done<Void, EcdsaSignature> ok = fin(online(s, b, tx2, o1(TestKeys.p2(), b, tx2)));
        assertTrue(Ecdsa.verify(tx2.signingHash(), ok.result(), TestKeys.p1().publicKey()));
    }

    /**
     * A failed signature after P2's proof verified (here a bank-side fault: the stored presignature's k1 corrupted
     * for the same R) locks the key durably; later online, SIGN and presign are refused, also after a restart.
     */
    @Test
    void aFailedSignatureAfterTheProofLocksTheKeyDurablyAndLaterOnlineAndSignAreRefused() {
        storeTestKey();
        BankSigner s = signer();
        Presig a = presign(s, TestKeys.p2(), "fault-a");
        Presig b = presign(s, TestKeys.p2(), "fault-b");
        Eip1559Transaction tx = TestKeys.tx(16);
        byte[] blob = presigRepo.take(KEYSET, a.id(), null).blob();
        P1Presignature honest = PresignatureStore.open(blob, KEYSET, a.id(), KEK).value();
        P1Presignature corrupted = new P1Presignature(honest.id(), honest.keyFingerprint(),
                org.mpcwallet.crypto.ec.Scalars.randomNonZero(TestKeys.env("fault").random()), honest.bigR(),
                honest.r2());
        presigRepo.store(KEYSET, a.id(), TestKeys.p1().epoch(), PresignatureStore.seal(corrupted, KEYSET,
                TestKeys.p1().epoch(), KEK, TestKeys.random("fault-seal")));
        BankSigner fresh = signer();
        Outcome<Void, EcdsaSignature> r = online(fresh, a, tx, o1(TestKeys.p2(), a, tx));
        assertEquals(FailureKind.KEY_COMPROMISE_RISK, assertInstanceOf(Outcome.Aborted.class, r).failure().kind());
        assertEquals(FailureKind.KEY_COMPROMISE_RISK, lockRepo.current(KEYSET).kind(), "lock persisted");
        assertEquals(1, lockEvents.size());
        assertTrue(fresh.keyset(KEYSET).locked());
        s = fresh;

        Eip1559Transaction tx2 = TestKeys.tx(17);
        byte[] o1b = o1(TestKeys.p2(), b, tx2);
        assertEquals(FailureKind.KEY_LOCKED,
                assertInstanceOf(Outcome.Aborted.class, online(s, b, tx2, o1b)).failure().kind());
        assertEquals(List.of(b.id()), presigRepo.ids(KEYSET), "a locked key does not touch presignatures");
        byte[][] permit = permit(tx2);
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class,
                s.signStart(KEYSET, TestKeys.sid("tamper-sign"), permit[0], permit[1], TestKeys.env("ts")))
                .failure().kind());
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class,
                s.presignStart(KEYSET, TestKeys.sid("tamper-presign"), TestKeys.env("tp"))).failure().kind());

        BankSigner restarted = signer();
        assertTrue(restarted.keyset(KEYSET).locked(), "lock restored from the LockRepository");
        assertEquals(FailureKind.KEY_LOCKED,
                assertInstanceOf(Outcome.Aborted.class, online(restarted, b, tx2, o1b)).failure().kind());
        assertEquals(1, lockEvents.size(), "KEY_LOCKED refusals do not re-report the lock");
    }

    // ---- storage at rest ------------------------------------------------------------------------------------

    @Test
    void repositoriesHoldNoPlaintextX1OrK1() {
        storeTestKey();
        BankSigner s = signer();
        List<byte[]> k1s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Presig p = presign(s, TestKeys.p2(), "scan-" + i);
            byte[] blob = presigRepo.allBlobs().get(i);
            Result<P1Presignature, StoreFailure> opened = PresignatureStore.open(blob, KEYSET, p.id(), KEK);
            assertTrue(opened.isOk(), opened::toString);
            byte[] plain = opened.value().encode();
            // format u8 ‖ id(32) ‖ fingerprint(32) ‖ u32 length 32 ‖ k1 (32 bytes) ‖ ...
            assertArrayEquals(new byte[] {0, 0, 0, 32}, Arrays.copyOfRange(plain, 65, 69));
            k1s.add(Arrays.copyOfRange(plain, 69, 101));
            assertFalse(contains(blob, plain), "no plaintext presignature encoding");
            assertTrue(PresignatureStore.open(blob, KEYSET, p.id(), KeyEncryptionKey.generate(
                    TestKeys.random("other-kek"))).failure().kind().name().equals("WRONG_KEK"));
            assertFalse(EncryptedShareStore.open(blob, KEYSET, KEK).isOk(), "a presignature is not a share");
        }
        assertNoPlaintext(Scalars.encode(TestKeys.p1().x1()));
        assertNoPlaintext(TestKeys.p1().x1().toByteArray());
        for (byte[] k1 : k1s) {
            assertNoPlaintext(k1);
        }
        Point q = TestKeys.p1().publicKey();
        assertNotNull(q);
    }

    private void assertNoPlaintext(byte[] secret) {
        for (byte[] blob : shareRepo.allBlobs()) {
            assertFalse(contains(blob, secret), "secret bytes in the share repository");
        }
        for (byte[] blob : presigRepo.allBlobs()) {
            assertFalse(contains(blob, secret), "secret bytes in the presignature repository");
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
