package org.mpcwallet.signer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.SignedEip1559Transaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.SignMessages;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.signer.permit.InMemoryNonceLedger;
import org.mpcwallet.signer.permit.PermitFailureKind;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.StoreFailure;
import org.mpcwallet.signer.store.StoreFailureKind;
import org.mpcwallet.signer.testing.TestKeys;

class BankSignerTest {
    private static final long NOW = 1_795_000_000_000L;
    private static final String KEYSET = "keyset-main";
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate(TestKeys.random("facade-kek"));
    private static final KeyPair ORCHESTRATOR = PermitKeys.generate(TestKeys.random("facade-orchestrator"));
    private static final PermitSigner MINT = new PermitSigner(ORCHESTRATOR.getPrivate());

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final List<String> lockEvents = new ArrayList<>();
    private final List<ProtocolFailure> lockCauses = new ArrayList<>();
    private final BankSigner signer = new BankSigner(KEK,
            new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new InMemoryNonceLedger(clock)),
            (keysetId, cause) -> {
                lockEvents.add(keysetId);
                lockCauses.add(cause);
            }, TestKeys.bankParams());
    private int nonces;

    private static byte[] blob() {
        return EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("facade-seal"));
    }

    private void loadUnlocked() {
        Result<KeysetInfo, StoreFailure> r = signer.load(KEYSET, blob(), null);
        assertTrue(r.isOk(), r::toString);
        assertFalse(r.value().locked());
        assertEquals(TestKeys.p1().publicKey(), r.value().publicKey());
    }

    /** A fresh permit (new nonce) for {@code tx} on {@code keyset}, and its signature. */
    private byte[][] permit(Eip1559Transaction tx, String keyset) {
        byte[] nonce = new byte[16];
        nonce[0] = (byte) ++nonces;
        SigningPermit p = SigningPermit.forTransaction("req-" + nonces, "wallet-1", keyset, tx, NOW - 500,
                NOW + 30_000, nonce, TestKeys.controls(), new byte[32]);
        return new byte[][] {p.encode(), MINT.sign(p)};
    }

    private record Run(Outcome<SignSession, EcdsaSignature> p1, SignP2.Sent p2) {}

    /** Drives P1 (the facade) and P2 (shared-crypto SignP2) through the 4 messages; {@code tamper4} edits round 4. */
    private Run sign(Eip1559Transaction tx, String label, UnaryOperator<byte[]> tamper4) {
        byte[][] permit = permit(tx, KEYSET);
        byte[] sid = TestKeys.sid(label);
        byte[] hash = tx.signingHash();
        Env env1 = TestKeys.env(label + "/p1");
        Env env2 = TestKeys.env(label + "/p2");
        P2KeyShare p2 = TestKeys.p2();

        Outcome<SignSession, EcdsaSignature> s1 = signer.signStart(KEYSET, sid, permit[0], permit[1], env1);
        if (!(s1 instanceof Outcome.Continue<SignSession, EcdsaSignature> c1)) {
            return new Run(s1, null);
        }
        Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(p2, sid, hash), c1.outbound(), env2);
        SignP2.State b1State = continued(b1).state();
        Outcome<SignSession, EcdsaSignature> s3 = signer.signNext(c1.session(), b1.outbound(), env1);
        Outcome.Continue<SignSession, EcdsaSignature> c3 = cont(s3);
        Step<SignP2.State, SignP2.Sent> b2 = SignP2.next(b1State, c3.outbound(), env2);
        assertInstanceOf(Step.Done.class, b2, () -> "P2 aborted: " + b2);
        SignP2.Sent sent = ((Step.Done<SignP2.State, SignP2.Sent>) b2).result();
        Outcome<SignSession, EcdsaSignature> fin = signer.signNext(c3.session(), tamper4.apply(b2.outbound()), env1);
        return new Run(fin, sent);
    }

    private static <S, R> Step.Continue<S, R> continued(Step<S, R> step) {
        assertInstanceOf(Step.Continue.class, step, () -> "P2 aborted: " + step);
        return (Step.Continue<S, R>) step;
    }

    @Test
    void signsEndToEndWithAValidPermitAndTheSignatureVerifiesUnderQ() {
        loadUnlocked();
        Eip1559Transaction tx = TestKeys.tx(1);
        Run run = sign(tx, "e2e", m -> m);
        Outcome.Done<SignSession, EcdsaSignature> signed = fin(run.p1());
        EcdsaSignature sig = signed.result();
        assertTrue(Ecdsa.verify(tx.signingHash(), sig, TestKeys.p1().publicKey()));
        assertEquals(run.p2().r(), sig.r());
        assertTrue(sig.s().compareTo(org.mpcwallet.crypto.ec.Secp256k1.N.shiftRight(1)) <= 0, "low s");
        SignedEip1559Transaction onChain = Eip1559Transaction.decodeSigned(tx.encodeSigned(sig));
        assertEquals(tx, onChain.transaction());
        assertTrue(lockEvents.isEmpty());
    }

    @Test
    void refusesToStartWithoutAValidPermitAndNothingProtocolRelatedHappens() {
        loadUnlocked();
        Eip1559Transaction tx = TestKeys.tx(2);
        byte[][] permit = permit(tx, KEYSET);
        byte[] sid = TestKeys.sid("no-permit");
        Env env = TestKeys.env("no-permit");

        byte[] forged = new PermitSigner(PermitKeys.generate(TestKeys.random("forger")).getPrivate())
                .signEncoding(permit[0]);
        assertPermitRefused(PermitFailureKind.BAD_SIGNATURE, signer.signStart(KEYSET, sid, permit[0], forged, env));
        assertPermitRefused(PermitFailureKind.MALFORMED,
                signer.signStart(KEYSET, sid, Arrays.copyOf(permit[0], 10), permit[1], env));
        assertPermitRefused(PermitFailureKind.MALFORMED, signer.signStart(KEYSET, sid, null, null, env));
        byte[][] other = permit(tx, "keyset-other");
        assertPermitRefused(PermitFailureKind.WRONG_KEYSET, signer.signStart(KEYSET, sid, other[0], other[1], env));

        // the session id was never consumed by the key holder: the same sid starts fine with the valid permit
        cont(signer.signStart(KEYSET, sid, permit[0], permit[1], env));
        // and the permit cannot be used twice
        assertPermitRefused(PermitFailureKind.REPLAYED,
                signer.signStart(KEYSET, TestKeys.sid("no-permit-2"), permit[0], permit[1], env));
    }

    private static void assertPermitRefused(PermitFailureKind kind, Outcome<SignSession, EcdsaSignature> r) {
        Outcome.PermitRefused<SignSession, EcdsaSignature> refused = assertInstanceOf(Outcome.PermitRefused.class, r);
        assertEquals(kind, refused.failure().kind());
    }

    @Test
    void p2SigningAnotherHashThanThePermittedOneIsRefusedWithoutLocking() {
        loadUnlocked();
        byte[][] permit = permit(TestKeys.tx(3), KEYSET);
        byte[] sid = TestKeys.sid("other-hash");
        Env env1 = TestKeys.env("other-hash/p1");
        Env env2 = TestKeys.env("other-hash/p2");
        byte[] otherHash = TestKeys.tx(4).signingHash();
        Outcome.Continue<SignSession, EcdsaSignature> c1 =
                cont(signer.signStart(KEYSET, sid, permit[0], permit[1], env1));
        Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(TestKeys.p2(), sid, otherHash), c1.outbound(),
                env2);
        Outcome.Continue<SignSession, EcdsaSignature> c3 = cont(signer.signNext(c1.session(), b1.outbound(), env1));
        Step<SignP2.State, SignP2.Sent> b2 = SignP2.next(continued(b1).state(), c3.outbound(), env2);
        Outcome.Aborted<SignSession, EcdsaSignature> aborted = assertInstanceOf(Outcome.Aborted.class,
                signer.signNext(c3.session(), b2.outbound(), env1));
        assertEquals(FailureKind.INCONSISTENT_STATE, aborted.failure().kind());
        assertTrue(lockEvents.isEmpty());
        assertFalse(signer.keyset(KEYSET).locked());
    }

    /** CVE-2023-33242: a changed last message is refused before decryption; nothing locks; the retry signs. */
    @Test
    void tamperedFinalP2MessageIsRefusedBeforeDecryptionAndTheRetrySigns() {
        loadUnlocked();
        BigInteger n = TestKeys.p2().paillier().n();
        // c3 ← c3 · (1 + N): a valid ciphertext of plaintext + 1; P2's proof no longer matches it
        UnaryOperator<byte[]> tamper = m -> {
            Envelope e = Envelope.decode(m);
            SignMessages.O1 o1 = SignMessages.O1.decode(e.body());
            BigInteger c3 = o1.c3().multiply(n.add(BigInteger.ONE)).mod(n.multiply(n));
            return new Envelope(e.protocol(), e.sessionId(), e.round(), e.sender(),
                    new SignMessages.O1(o1.keyFingerprint(), o1.messageHash(), c3, o1.proof()).encode()).encode();
        };
        Run run = sign(TestKeys.tx(5), "tamper", tamper);
        Outcome.Aborted<SignSession, EcdsaSignature> aborted = assertInstanceOf(Outcome.Aborted.class, run.p1());
        assertEquals(FailureKind.PROOF_INVALID, aborted.failure().kind());
        assertTrue(lockEvents.isEmpty());
        assertFalse(signer.keyset(KEYSET).locked());
        fin(sign(TestKeys.tx(6), "after-tamper", m -> m).p1());
    }

    @Test
    void aPersistedLockIsRestoredAndRefusesSigning() {
        ProtocolFailure cause = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", null, "test lock");
        BankSigner restarted = new BankSigner(KEK,
                new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new InMemoryNonceLedger(clock)), (k, c) -> {},
                TestKeys.bankParams());
        assertTrue(restarted.load(KEYSET, blob(), cause).value().locked());
        byte[][] again = permit(TestKeys.tx(7), KEYSET);
        Outcome<SignSession, EcdsaSignature> refused =
                restarted.signStart(KEYSET, TestKeys.sid("restarted"), again[0], again[1],
                TestKeys.env("restarted"));
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, refused).failure().kind());
    }

    @Test
    void loadRefusesNonLockingCausesAndAFailedLoadKeepsTheLoadedKey() {
        loadUnlocked();
        assertThrows(IllegalArgumentException.class, () -> signer.load(KEYSET, blob(),
                new ProtocolFailure(FailureKind.PROOF_INVALID, "S3", null, "x")));
        byte[] bad = blob();
        bad[bad.length - 1] ^= 1;
        assertEquals(StoreFailureKind.TAMPERED, signer.load(KEYSET, bad, null).failure().kind());
        assertEquals(StoreFailureKind.WRONG_KEYSET, signer.load("keyset-other", blob(), null).failure().kind());
        assertNull(signer.keyset("keyset-other"));
        assertFalse(signer.keyset(KEYSET).locked());
        Run run = sign(TestKeys.tx(9), "after-failed-load", m -> m);
        fin(run.p1());
    }

    @Test
    void unknownKeysetIsRefused() {
        byte[][] permit = permit(TestKeys.tx(1), "keyset-unknown");
        Outcome<SignSession, EcdsaSignature> r =
                signer.signStart("keyset-unknown", TestKeys.sid("unknown"), permit[0], permit[1],
                TestKeys.env("unknown"));
        assertEquals(FailureKind.INVALID_PARAMETER, assertInstanceOf(Outcome.Aborted.class, r).failure().kind());
    }

    @Test
    void sessionAndSignerToStringsAreRedacted() {
        loadUnlocked();
        byte[][] permit = permit(TestKeys.tx(1), KEYSET);
        Outcome.Continue<SignSession, EcdsaSignature> c = cont(signer.signStart(KEYSET,
                TestKeys.sid("tostring"), permit[0], permit[1], TestKeys.env("tostring")));
        assertTrue(c.session().toString().contains("redacted"));
        assertFalse(signer.toString().contains(TestKeys.p1().x1().toString(16)));
        assertArrayEquals(TestKeys.tx(1).signingHash(), c.session().permit().signingHash());
    }

    private static <S, R> Outcome.Continue<S, R> cont(Outcome<S, R> o) {
        return assertInstanceOf(Outcome.Continue.class, o, () -> "P1: " + o);
    }

    private static <S, R> Outcome.Done<S, R> fin(Outcome<S, R> o) {
        return assertInstanceOf(Outcome.Done.class, o, () -> "P1: " + o);
    }
}
