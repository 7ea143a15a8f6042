package org.mpcwallet.crypto.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.paillier.Primes;
import org.mpcwallet.crypto.protocol.keygen.KeygenMessages;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.SignMessages;
import org.mpcwallet.crypto.protocol.sign.SignP1;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.testing.Fixtures;
import org.mpcwallet.crypto.testing.Protocols;
import org.mpcwallet.crypto.testing.Tamper;
import org.mpcwallet.crypto.testing.TwoPartyNetwork;
import org.mpcwallet.crypto.testing.TwoPartyNetwork.Hook;
import org.mpcwallet.crypto.zk.PaillierEncLogProof;
import org.mpcwallet.crypto.zk.PaillierKeyProof;
import org.mpcwallet.crypto.zk.ProofContext;
import org.mpcwallet.crypto.zk.SchnorrProof;

/**
 * The malicious-party tests of ../shared/security-checklist.md at protocol level: each plays the cheating party by
 * rewriting its messages and asserts the honest party aborts with the right, clear failure. (Proof-internal
 * soundness tests live with the proofs in the zk package.)
 */
class AdversarialProtocolTest {
    private static final byte[] SID = Fixtures.sid("keygen/adversarial");
    private static Fixtures.Keys keys;
    /** The honest keygen transcript K1, K2, K3, K4 under SID with the seeds below. */
    private static List<byte[]> keygenTranscript;

    @BeforeAll
    static void honestRun() {
        Protocols.Outcome<P1KeyShare, P2KeyShare> o = Protocols.keygen(SID, Fixtures.env("adv/p1"),
                Fixtures.env("adv/p2"), Hook.honest());
        assertNull(o.p1().failure());
        assertNull(o.p2().failure());
        keys = new Fixtures.Keys(o.p1().result(), o.p2().result());
        keygenTranscript = o.run().sent();
        assertEquals(4, keygenTranscript.size());
    }

    // ---------------------------------------------------------------- helpers

    /** Replays P2 with the honest K1 and a rewritten K3; returns P2's failure (asserting it did fail). */
    private static ProtocolFailure p2AgainstK3(UnaryOperator<KeygenMessages.K3> attack) {
        return p2AgainstRawK3(Tamper.body(keygenTranscript.get(2),
                body -> attack.apply(KeygenMessages.K3.decode(body)).encode()));
    }

    private static ProtocolFailure p2AgainstRawK3(byte[] k3) {
        Env env = Fixtures.env("adv/p2");
        Step<KeygenP2.State, P2KeyShare> s1 = KeygenP2.next(KeygenP2.start(SID, Fixtures.deviceParams()), keygenTranscript.get(0), env);
        assertTrue(s1 instanceof Step.Continue, () -> "P2 K2: " + s1);
        Step<KeygenP2.State, P2KeyShare> s2 = KeygenP2.next(((Step.Continue<KeygenP2.State, P2KeyShare>) s1).state(),
                k3, env);
        assertTrue(s2 instanceof Step.Aborted, () -> "P2 must abort, got " + s2);
        assertNull(s2.outbound(), "an aborting party sends nothing");
        return ((Step.Aborted<KeygenP2.State, P2KeyShare>) s2).failure();
    }

    /** Replays P1 with a rewritten K2; returns P1's failure. */
    private static ProtocolFailure p1AgainstK2(byte[] k2) {
        Env env = Fixtures.env("adv/p1");
        Step<KeygenP1.State, P1KeyShare> s0 = KeygenP1.start(SID, Fixtures.bankParams(), env);
        Step<KeygenP1.State, P1KeyShare> s1 = KeygenP1.next(((Step.Continue<KeygenP1.State, P1KeyShare>) s0).state(),
                k2, env);
        assertTrue(s1 instanceof Step.Aborted, () -> "P1 must abort, got " + s1);
        return ((Step.Aborted<KeygenP1.State, P1KeyShare>) s1).failure();
    }

    private static void assertFailure(FailureKind kind, Party culprit, ProtocolFailure f) {
        assertNotNull(f);
        assertEquals(kind, f.kind(), () -> "failure: " + f);
        assertEquals(culprit, f.culprit(), () -> "culprit: " + f);
    }

    private static ProofContext p1Keygen() {
        return new ProofContext("keygen", SID, Party.P1);
    }

    private static PaillierPrivateKey keyOfBits(int pBits, int qBits, String seed) {
        var rng = org.mpcwallet.crypto.core.DeterministicRandom.fromLabel(seed);
        return new PaillierPrivateKey(Primes.blumPrime(pBits, rng), Primes.blumPrime(qBits, rng));
    }

    /** K3 with a different Paillier key, honestly proved and with c_key honestly encrypted and proved under it. */
    private static KeygenMessages.K3 withPaillierKey(KeygenMessages.K3 k3, PaillierPrivateKey sk) {
        var rng = org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/evil-paillier");
        PaillierPublicKey pk = sk.publicKey();
        BigInteger rho = pk.randomUnit(rng);
        BigInteger cKey = pk.encrypt(keys.p1().x1(), rho, ModPow.JAVA);
        PaillierKeyProof kp = PaillierKeyProof.prove(p1Keygen(), org.mpcwallet.crypto.testing.Fixtures.deviceVerified(), sk, rng, ModPow.JAVA);
        PaillierEncLogProof lp = PaillierEncLogProof.prove(p1Keygen(), org.mpcwallet.crypto.testing.Fixtures.deviceVerified(), pk, cKey, k3.q1(), keys.p1().x1(), rho, rng,
                ModPow.JAVA);
        return new KeygenMessages.K3(k3.q1(), k3.proof(), k3.rho(), pk.n(), kp, cKey, lp, k3.ringPedersen());
    }

    // ---------------------------------------------------------------- row 1: BitForge (Paillier modulus)

    @Test
    void row1_paillierModulusOf2047Or2049BitsIsRejectedEvenWithValidProofs() {
        for (int[] bits : new int[][] {{1024, 1023}, {1025, 1024}}) {
            PaillierPrivateKey sk = keyOfBits(bits[0], bits[1], "adv/size" + bits[0] + bits[1]);
            assertEquals(bits[0] + bits[1], sk.publicKey().bitLength());
            ProtocolFailure f = p2AgainstK3(k3 -> withPaillierKey(k3, sk));
            assertEquals(Party.P1, f.culprit());
            assertTrue(f.kind() == FailureKind.INVALID_PARAMETER || f.kind() == FailureKind.PROOF_INVALID, f::toString);
            assertTrue(f.reason().contains("bit"), f::toString);
        }
    }

    @Test
    void row1_modulusWithSmallFactorsIsRejected() {
        // N = (product of small odd primes) · P, padded to exactly 2048 bits: the BitForge shape
        BigInteger small = BigInteger.ONE;
        for (int p : new int[] {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59}) {
            small = small.multiply(BigInteger.valueOf(p));
        }
        var rng = org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/bitforge");
        BigInteger big = Primes.blumPrime(2048 - small.bitLength(), rng);
        BigInteger n = small.multiply(big);
        ProtocolFailure f = p2AgainstK3(k3 -> new KeygenMessages.K3(k3.q1(), k3.proof(), k3.rho(), n, k3.keyProof(),
                k3.cKey(), k3.encLogProof(), k3.ringPedersen()));
        assertEquals(Party.P1, f.culprit());
        assertTrue(f.kind() == FailureKind.INVALID_PARAMETER || f.kind() == FailureKind.PROOF_INVALID, f::toString);
    }

    @Test
    void row1_threePrimeModulusIsRejected() {
        var rng = org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/pqr");
        BigInteger n;
        do {
            n = Primes.blumPrime(683, rng).multiply(Primes.blumPrime(683, rng)).multiply(Primes.blumPrime(682, rng));
        } while (n.bitLength() != 2048);
        BigInteger bad = n;
        ProtocolFailure f = p2AgainstK3(k3 -> new KeygenMessages.K3(k3.q1(), k3.proof(), k3.rho(), bad, k3.keyProof(),
                k3.cKey(), k3.encLogProof(), k3.ringPedersen()));
        assertFailure(FailureKind.PROOF_INVALID, Party.P1, f);
    }

    // ---------------------------------------------------------------- row 2: Lindell17 abort → lock

    /** A malicious P2 changes its last message: P1 refuses it before decrypting, nothing locks, the retry signs. */
    @Test
    void row2_aMalformedLastMessageIsRefusedBeforeDecryptionAndTheHonestRetrySigns() {
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        byte[] hash = Fixtures.hash("row2");
        BigInteger n = keys.p2().paillier().n();
        BigInteger n2 = n.multiply(n);
        BigInteger q = Secp256k1.N;
        // (a) c3·(1+N): one more in the plaintext; (b) c3·c_key^(q·2^1600): the threshold attack's large multiple of
        // q (same value mod q, the decryption wraps for large x1); (c) the proof of another session
        var other = Protocols.sign(new P1KeyHolder(keys.p1()), keys.p2(), Fixtures.sid("row2-other"), hash, hash,
                Fixtures.env("r2o1"), Fixtures.env("r2o2"), Hook.honest());
        SignMessages.O1 foreign = SignMessages.O1.decode(
                org.mpcwallet.crypto.protocol.Envelope.decode(other.run().sent().get(3)).body());
        List<java.util.function.UnaryOperator<SignMessages.O1>> attacks = List.of(
                o1 -> new SignMessages.O1(o1.keyFingerprint(), o1.messageHash(),
                        o1.c3().multiply(n.add(BigInteger.ONE)).mod(n2), o1.proof()),
                o1 -> new SignMessages.O1(o1.keyFingerprint(), o1.messageHash(),
                        o1.c3().multiply(keys.p1().cKey().modPow(q.shiftLeft(1600), n2)).mod(n2), o1.proof()),
                o1 -> new SignMessages.O1(o1.keyFingerprint(), o1.messageHash(), o1.c3(), foreign.proof()));
        int i = 0;
        for (var attack : attacks) {
            Hook hook = Tamper.at(Party.P2, 1, m -> Tamper.body(m, body -> attack.apply(SignMessages.O1.decode(body))
                    .encode()));
            var o = Protocols.sign(holder, keys.p2(), Fixtures.sid("row2-" + i++), hash, hash, Fixtures.env("r2a"),
                    Fixtures.env("r2b"), hook);
            assertNull(o.p1().result(), "no signature is released");
            assertFailure(FailureKind.PROOF_INVALID, Party.P2, o.p1().failure());
            assertFalse(o.p1().failure().locksKey());
            assertFalse(holder.locked(), "a refused proof must not lock the key");
        }
        // (d) the proof cut off: the message does not decode
        Hook cut = Tamper.at(Party.P2, 1, m -> Tamper.body(m, body -> {
            SignMessages.O1 o1 = SignMessages.O1.decode(body);
            return new WireWriter().bytes(o1.keyFingerprint()).bytes(o1.messageHash()).unsigned(o1.c3())
                    .toByteArray();
        }));
        var c = Protocols.sign(holder, keys.p2(), Fixtures.sid("row2-cut"), hash, hash, Fixtures.env("r2c"),
                Fixtures.env("r2d"), cut);
        assertEquals(FailureKind.MALFORMED_MESSAGE, c.p1().failure().kind());
        assertFalse(holder.locked());
        // the honest retry right after signs
        var ok = Protocols.sign(holder, keys.p2(), Fixtures.sid("row2-ok"), hash, hash, Fixtures.env("k1"),
                Fixtures.env("k2"), Hook.honest());
        assertNull(ok.p1().failure(), () -> String.valueOf(ok.p1().failure()));
        assertTrue(org.mpcwallet.crypto.ec.Ecdsa.verify(hash, ok.p1().result(), keys.p1().publicKey()));
    }

    /**
     * A signature that fails after P2's proof verified can only be a bank-side fault (here P1's stored presignature
     * corrupted: another k1 for the same R): the key is retired, every later sign, presign, online and refresh is
     * refused, and a holder restored from storage stays locked (§6.4).
     */
    @Test
    void row2_aFailedSignatureAfterTheProofPassedRetiresTheKeyAndRefreshIsRefused() {
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        var pre = Protocols.presign(holder, keys.p2(), Fixtures.sid("row2-pre"), Fixtures.env("r2p1"),
                Fixtures.env("r2p2"), Hook.honest());
        var pre2 = Protocols.presign(holder, keys.p2(), Fixtures.sid("row2-pre2"), Fixtures.env("r2p3"),
                Fixtures.env("r2p4"), Hook.honest());
        assertNull(pre.p1().failure());
        P1Presignature honest = pre.p1().result();
        P1Presignature corrupted = new P1Presignature(honest.id(), honest.keyFingerprint(),
                Scalars.randomNonZero(org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/fault")),
                honest.bigR(), honest.r2());
        holder.addPresignature(corrupted);
        byte[] hash = Fixtures.hash("row2-fault");
        OnlineP2.Result o1 = OnlineP2.encrypt(keys.p2(), pre.p2().result(), hash, Fixtures.env("online-p2"));
        Step<Void, EcdsaSignature> fin = holder.online(honest.idHex(), hash, o1.outbound(), Fixtures.env("o"));
        ProtocolFailure f = ((Step.Aborted<?, ?>) fin).failure();
        assertEquals(FailureKind.KEY_COMPROMISE_RISK, f.kind(), f::toString);
        assertTrue(f.locksKey());
        assertTrue(holder.locked());

        var again = Protocols.sign(holder, keys.p2(), Fixtures.sid("row2-again"), hash, hash, Fixtures.env("x"),
                Fixtures.env("y"), Hook.honest());
        assertEquals(FailureKind.KEY_LOCKED, again.p1().failure().kind());
        assertEquals(0, again.run().sent().size(), "a locked key sends nothing");
        assertEquals(FailureKind.KEY_LOCKED,
                ((Step.Aborted<?, ?>) holder.presignStart(Fixtures.sid("row2-pre3"), Fixtures.env("z"))).failure().kind());
        P2Presignature p2pre = pre2.p2().result();
        OnlineP2.Result online = OnlineP2.encrypt(keys.p2(), p2pre, hash, Fixtures.env("online-p2"));
        Step<Void, EcdsaSignature> onl = holder.online(p2pre.idHex(), hash, online.outbound(), Fixtures.env("o"));
        assertEquals(FailureKind.KEY_LOCKED, ((Step.Aborted<?, ?>) onl).failure().kind());
        assertFalse(holder.presignatureIds().contains(p2pre.idHex()), "the presignature was consumed anyway");
        // no refresh for a retired key: P2 takes part in a refresh and would carry what it learned over
        assertEquals(FailureKind.KEY_LOCKED, ((Step.Aborted<?, ?>) holder.refreshStart(Fixtures.sid("row2-refresh"),
                Fixtures.bankParams(), Fixtures.env("rr1"))).failure().kind());
        // a restored holder stays locked
        P1KeyHolder restored = P1KeyHolder.restore(keys.p1(), holder.lockCause());
        assertTrue(restored.locked());
        assertEquals(FailureKind.KEY_LOCKED, ((Step.Aborted<?, ?>) restored.refreshStart(
                Fixtures.sid("row2-refresh2"), Fixtures.bankParams(), Fixtures.env("rr2"))).failure().kind());
    }

    @Test
    void row2_aMismatchedMessageHashIsRefusedBeforeDecryptionAndDoesNotLock() {
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        var o = Protocols.sign(holder, keys.p2(), Fixtures.sid("row2-mismatch"), Fixtures.hash("bank view"),
                Fixtures.hash("device view"), Fixtures.env("mm1"), Fixtures.env("mm2"), Hook.honest());
        assertFailure(FailureKind.INCONSISTENT_STATE, Party.P2, o.p1().failure());
        assertFalse(holder.locked());
    }

    // ---------------------------------------------------------------- row 3: zero / missing proofs

    @Test
    void row3_everyProofRemovedOrZeroedAborts() {
        // K2: π_DL(x2) missing, empty, zero response
        byte[] k2 = keygenTranscript.get(1);
        KeygenMessages.K2 honest = KeygenMessages.K2.decode(org.mpcwallet.crypto.protocol.Envelope.decode(k2).body());
        byte[] missing = Tamper.body(k2, b -> new WireWriter().bytes(honest.q2().encode()).toByteArray());
        assertEquals(FailureKind.MALFORMED_MESSAGE, p1AgainstK2(missing).kind());
        byte[] empty = Tamper.body(k2, b -> new WireWriter().bytes(honest.q2().encode()).bytes(new byte[0]).toByteArray());
        assertEquals(FailureKind.MALFORMED_MESSAGE, p1AgainstK2(empty).kind());
        byte[] zeroed = Tamper.body(k2, b -> new WireWriter().bytes(honest.q2().encode())
                .bytes(new byte[honest.proof().encode().length]).toByteArray());
        ProtocolFailure fz = p1AgainstK2(zeroed);
        assertTrue(fz.kind() == FailureKind.MALFORMED_MESSAGE || fz.kind() == FailureKind.INVALID_PARAMETER
                || fz.kind() == FailureKind.PROOF_INVALID, fz::toString);
        assertEquals(Party.P2, fz.culprit());

        // K3: each of π_DL(x1), π_key, π_log* emptied or zeroed in turn
        KeygenMessages.K3 k3 = KeygenMessages.K3.decode(
                org.mpcwallet.crypto.protocol.Envelope.decode(keygenTranscript.get(2)).body());
        byte[][] proofs = {k3.proof().encode(), k3.keyProof().encode(), k3.encLogProof().encode()};
        for (int which = 0; which < 3; which++) {
            for (boolean zero : new boolean[] {false, true}) {
                byte[][] p = proofs.clone();
                p[which] = zero ? new byte[proofs[which].length] : new byte[0];
                byte[] body = new WireWriter().bytes(k3.q1().encode()).bytes(p[0]).bytes(k3.rho()).unsigned(k3.n())
                        .bytes(p[1]).unsigned(k3.cKey()).bytes(p[2]).bytes(k3.ringPedersen().encode()).toByteArray();
                ProtocolFailure f = p2AgainstRawK3(Tamper.body(keygenTranscript.get(2), b -> body));
                assertEquals(Party.P1, f.culprit(), f::toString);
            }
        }
    }

    // ---------------------------------------------------------------- row 7: range proof on c_key

    @Test
    void row7_cKeyOutOfRangeOrForAnotherValueIsRejected() {
        PaillierPublicKey pk = keys.p1().paillierPublicKey();
        BigInteger q = Secp256k1.N;
        var rng = org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/range");
        // same discrete log mod q, but far out of range: x1 + q·2^900
        BigInteger huge = keys.p1().x1().add(q.shiftLeft(900));
        BigInteger c1 = pk.encrypt(huge, pk.randomUnit(rng), ModPow.JAVA);
        assertFailure(FailureKind.PROOF_INVALID, Party.P1, p2AgainstK3(k3 -> new KeygenMessages.K3(k3.q1(),
                k3.proof(), k3.rho(), k3.n(), k3.keyProof(), c1, k3.encLogProof(), k3.ringPedersen())));
        // another value entirely
        BigInteger c2 = pk.encrypt(keys.p1().x1().add(BigInteger.ONE), pk.randomUnit(rng), ModPow.JAVA);
        assertFailure(FailureKind.PROOF_INVALID, Party.P1, p2AgainstK3(k3 -> new KeygenMessages.K3(k3.q1(),
                k3.proof(), k3.rho(), k3.n(), k3.keyProof(), c2, k3.encLogProof(), k3.ringPedersen())));
        // not a ciphertext at all (shares a factor with N)
        BigInteger c3 = keys.p1().paillier().p();
        ProtocolFailure f = p2AgainstK3(k3 -> new KeygenMessages.K3(k3.q1(), k3.proof(), k3.rho(), k3.n(),
                k3.keyProof(), c3, k3.encLogProof(), k3.ringPedersen()));
        assertEquals(FailureKind.INVALID_PARAMETER, f.kind(), f::toString);
    }

    // ---------------------------------------------------------------- row 8: session / party binding

    @Test
    void row8_messagesAndProofsFromAnotherSessionAreRejected() {
        // the same K3 bytes under the right envelope but from another session
        byte[] otherSid = Fixtures.sid("another session");
        Protocols.Outcome<P1KeyShare, P2KeyShare> other = Protocols.keygen(otherSid, Fixtures.env("adv/o1"),
                Fixtures.env("adv/o2"), Hook.honest());
        assertNull(other.p1().failure());
        byte[] foreignK3 = other.run().sent().get(2);
        // (a) as is: the envelope names another session
        ProtocolFailure fa = p2AgainstRawK3(foreignK3);
        assertEquals(FailureKind.UNEXPECTED_MESSAGE, fa.kind(), fa::toString);
        // (b) re-labelled with this session's id: the commitment and every proof are bound to the other sid
        ProtocolFailure fb = p2AgainstRawK3(Tamper.session(foreignK3, SID));
        assertTrue(fb.kind() == FailureKind.COMMITMENT_MISMATCH || fb.kind() == FailureKind.PROOF_INVALID, fb::toString);
        // (c) only the proofs transplanted (the decommitment kept honest): the proofs are bound to their session
        KeygenMessages.K3 theirs = KeygenMessages.K3.decode(
                org.mpcwallet.crypto.protocol.Envelope.decode(foreignK3).body());
        ProtocolFailure fc = p2AgainstK3(k3 -> new KeygenMessages.K3(k3.q1(), k3.proof(), k3.rho(), theirs.n(),
                theirs.keyProof(), theirs.cKey(), theirs.encLogProof(), k3.ringPedersen()));
        assertFailure(FailureKind.PROOF_INVALID, Party.P1, fc);
        // (d) a Schnorr proof made by P2 presented as P1's (party binding)
        SchnorrProof p2Proof = SchnorrProof.prove(new ProofContext("keygen", SID, Party.P2), keys.p2().q2(),
                keys.p2().x2(), org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/reflect"));
        org.junit.jupiter.api.Assertions.assertThrows(org.mpcwallet.crypto.core.ProtocolException.class,
                () -> SchnorrProof.verify(new ProofContext("keygen", SID, Party.P1), keys.p2().q2(), p2Proof));
    }

    @Test
    void row8_replayedDuplicatedAndReorderedMessagesAreRejected() {
        // duplicate K1: P2 receives it twice
        Hook duplicate = (i, from, m, sent) -> from == Party.P1 && i == 0 ? List.of(m, m) : List.of(m);
        var d = Protocols.keygen(Fixtures.sid("dup"), Fixtures.env("d1"), Fixtures.env("d2"), duplicate);
        assertEquals(FailureKind.UNEXPECTED_MESSAGE, d.p2().failure().kind());
        // replay: P2's K2 answered with the old K1 instead of K3
        Hook replay = (i, from, m, sent) -> from == Party.P1 && i == 1 ? List.of(sent.get(0)) : List.of(m);
        var r = Protocols.keygen(Fixtures.sid("replay"), Fixtures.env("rp1"), Fixtures.env("rp2"), replay);
        assertEquals(FailureKind.UNEXPECTED_MESSAGE, r.p2().failure().kind());
        assertNull(r.p2().result());
        // drop: K2 never arrives; nobody finishes, nobody outputs a key
        Hook drop = (i, from, m, sent) -> from == Party.P2 ? List.of() : List.of(m);
        var dr = Protocols.keygen(Fixtures.sid("drop"), Fixtures.env("dr1"), Fixtures.env("dr2"), drop);
        assertNull(dr.p1().result());
        assertNull(dr.p2().result());
        // reorder: P1 gets K4 of an earlier run while it waits for K2
        ProtocolFailure f = p1AgainstK2(keygenTranscript.get(3));
        assertEquals(FailureKind.UNEXPECTED_MESSAGE, f.kind());
        // a message claiming to come from the receiver itself
        byte[] selfSent = new org.mpcwallet.crypto.protocol.Envelope(ProtocolId.KEYGEN, SID, 2, Party.P1,
                org.mpcwallet.crypto.protocol.Envelope.decode(keygenTranscript.get(1)).body()).encode();
        assertEquals(FailureKind.UNEXPECTED_MESSAGE, p1AgainstK2(selfSent).kind());
    }

    // ---------------------------------------------------------------- row 9: nonce / presignature reuse

    @Test
    void row9_presignaturesAndSessionNoncesAreSingleUse() {
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        var pre = Protocols.presign(holder, keys.p2(), Fixtures.sid("row9"), Fixtures.env("n1"), Fixtures.env("n2"),
                Hook.honest());
        P2Presignature p2 = pre.p2().result();
        byte[] h1 = Fixtures.hash("row9-a");
        byte[] h2 = Fixtures.hash("row9-b");
        OnlineP2.Result first = OnlineP2.encrypt(keys.p2(), p2, h1, Fixtures.env("online-p2"));
        assertNull(first.failure());
        // P2 refuses to use the same in-memory presignature twice
        OnlineP2.Result second = OnlineP2.encrypt(keys.p2(), p2, h2, Fixtures.env("online-p2"));
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, second.failure().kind());
        // P1 uses it once...
        assertTrue(holder.online(p2.idHex(), h1, first.outbound(), Fixtures.env("o1")) instanceof Step.Done);
        // ...and refuses a second online message for the same presignature, even one made from a restored copy
        OnlineP2.Result fromBackup = OnlineP2.encrypt(keys.p2(), P2Presignature.decode(p2.encode()), h2, Fixtures.env("online-p2"));
        Step<Void, EcdsaSignature> reuse = holder.online(p2.idHex(), h2, fromBackup.outbound(), Fixtures.env("o2"));
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, ((Step.Aborted<?, ?>) reuse).failure().kind());
        // and refuses to take a consumed presignature back into its pool
        P1Presignature p1Half = pre.p1().result();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> holder.addPresignature(p1Half));

        // a 4-message session's state cannot be fed twice (P1 side)
        byte[] sid = Fixtures.sid("row9-sign");
        Env e1 = Fixtures.env("row9-s1");
        Env e2 = Fixtures.env("row9-s2");
        Step<SignP1.State, EcdsaSignature> a = holder.signStart(sid, h1, e1);
        SignP2.State p2s = SignP2.start(keys.p2(), sid, h1);
        Step<SignP2.State, SignP2.Sent> b = SignP2.next(p2s, a.outbound(), e2);
        Step<SignP1.State, EcdsaSignature> c = holder.signNext(((Step.Continue<SignP1.State, EcdsaSignature>) a).state(),
                b.outbound(), e1);
        SignP2.State p2Reveal = ((Step.Continue<SignP2.State, SignP2.Sent>) b).state();
        Step<SignP2.State, SignP2.Sent> d = SignP2.next(p2Reveal, c.outbound(), e2);
        SignP1.State waiting = ((Step.Continue<SignP1.State, EcdsaSignature>) c).state();
        assertTrue(holder.signNext(waiting, d.outbound(), e1) instanceof Step.Done);
        Step<SignP1.State, EcdsaSignature> again = holder.signNext(waiting, d.outbound(), e1);
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, ((Step.Aborted<?, ?>) again).failure().kind());
        // (P2 side) the same reveal state fed a second S3 refuses to reuse k2
        Step<SignP2.State, SignP2.Sent> p2again = SignP2.next(p2Reveal, c.outbound(), e2);
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE, ((Step.Aborted<?, ?>) p2again).failure().kind());
        // and a session id cannot be started twice on one key
        assertEquals(FailureKind.PRESIGNATURE_UNAVAILABLE,
                ((Step.Aborted<?, ?>) holder.signStart(sid, h1, e1)).failure().kind());
    }

    // ---------------------------------------------------------------- row 10: invalid curve points

    @Test
    void row10_offCurveIdentityAndNonCanonicalPointsAreRejected() {
        byte[] k2 = keygenTranscript.get(1);
        KeygenMessages.K2 honest = KeygenMessages.K2.decode(org.mpcwallet.crypto.protocol.Envelope.decode(k2).body());
        byte[] q2 = honest.q2().encode();
        List<byte[]> badPoints = new ArrayList<>();
        byte[] offCurve = q2.clone();
        offCurve[32] ^= 1; // x' is on the curve for ~half of the x values; find one that is not
        for (int i = 0; i < 256 && isOnCurve(offCurve); i++) {
            offCurve[31] = (byte) i;
        }
        assertFalse(isOnCurve(offCurve));
        badPoints.add(offCurve);
        badPoints.add(new byte[33]); // "identity" / zero prefix
        byte[] uncompressedPrefix = q2.clone();
        uncompressedPrefix[0] = 4;
        badPoints.add(uncompressedPrefix);
        byte[] xTooBig = new byte[33];
        java.util.Arrays.fill(xTooBig, (byte) 0xff);
        xTooBig[0] = 2;
        badPoints.add(xTooBig);
        badPoints.add(Bytes.concat(q2, new byte[1])); // 34 bytes
        for (byte[] bad : badPoints) {
            byte[] msg = Tamper.body(k2, b -> new WireWriter().bytes(bad).bytes(honest.proof().encode()).toByteArray());
            ProtocolFailure f = p1AgainstK2(msg);
            assertTrue(f.kind() == FailureKind.INVALID_PARAMETER || f.kind() == FailureKind.MALFORMED_MESSAGE, f::toString);
            assertEquals(Party.P2, f.culprit());
        }
        // R2 off-curve in signing
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        byte[] h = Fixtures.hash("row10");
        Hook offR2 = Tamper.at(Party.P2, 0, m -> Tamper.body(m, body -> {
            SignMessages.S2 s2 = SignMessages.S2.decode(body);
            return new WireWriter().bytes(offCurve).bytes(s2.proof().encode()).toByteArray();
        }));
        var o = Protocols.sign(holder, keys.p2(), Fixtures.sid("row10"), h, h, Fixtures.env("t1"), Fixtures.env("t2"),
                offR2);
        assertFailure(FailureKind.INVALID_PARAMETER, Party.P2, o.p1().failure());
        assertFalse(holder.locked());
    }

    private static boolean isOnCurve(byte[] enc) {
        try {
            Point.decode(enc);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- row 11: signed decoding

    @Test
    void row11_plaintextsInTheUpperHalfDecodeAsNegative() {
        PaillierPrivateKey sk = keys.p1().paillier();
        PaillierPublicKey pk = sk.publicKey();
        BigInteger n = pk.n();
        var rng = org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("adv/signed");
        BigInteger half = n.add(BigInteger.ONE).shiftRight(1);
        for (BigInteger m : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, half.subtract(BigInteger.ONE),
                BigInteger.valueOf(-1), BigInteger.valueOf(-12345), half.negate().add(BigInteger.ONE)}) {
            BigInteger c = pk.encrypt(m, pk.randomUnit(rng), ModPow.JAVA);
            assertEquals(m, sk.decryptSigned(c, ModPow.JAVA), () -> "signed decoding of " + m.signum());
        }
        // (N+1)/2 itself is the first value read as negative
        BigInteger c = pk.encrypt(half, pk.randomUnit(rng), ModPow.JAVA);
        assertEquals(half.subtract(n), sk.decryptSigned(c, ModPow.JAVA));
        assertTrue(sk.decryptSigned(c, ModPow.JAVA).signum() < 0);
    }

    // ---------------------------------------------------------------- row 12: commitment copying / rogue key

    @Test
    void row12_decommitmentMustOpenTheCommitmentBoundToSessionAndParty() {
        KeygenMessages.K3 k3 = KeygenMessages.K3.decode(
                org.mpcwallet.crypto.protocol.Envelope.decode(keygenTranscript.get(2)).body());
        // P1 changes Q1 after seeing Q2 (e.g. Q1 := r·G - Q2 to cancel P2): the commitment does not open
        Point rogue = Point.mulG(BigInteger.TWO).subtract(keys.p2().q2());
        assertFailure(FailureKind.COMMITMENT_MISMATCH, Party.P1, p2AgainstK3(x -> new KeygenMessages.K3(rogue,
                x.proof(), x.rho(), x.n(), x.keyProof(), x.cKey(), x.encLogProof(), x.ringPedersen())));
        // other decommitment randomness
        byte[] rho = k3.rho().clone();
        rho[0] ^= 1;
        assertFailure(FailureKind.COMMITMENT_MISMATCH, Party.P1, p2AgainstK3(x -> new KeygenMessages.K3(x.q1(),
                x.proof(), rho, x.n(), x.keyProof(), x.cKey(), x.encLogProof(), x.ringPedersen())));
        // a commitment computed for the other party or another session differs
        byte[] mine = org.mpcwallet.crypto.commit.Commitment.commit("keygen", SID, Party.P1, k3.rho(), "Q1",
                k3.q1().encode(), "pi_dl", k3.proof().encode());
        byte[] asP2 = org.mpcwallet.crypto.commit.Commitment.commit("keygen", SID, Party.P2, k3.rho(), "Q1",
                k3.q1().encode(), "pi_dl", k3.proof().encode());
        byte[] otherSession = org.mpcwallet.crypto.commit.Commitment.commit("keygen", Fixtures.sid("x"), Party.P1,
                k3.rho(), "Q1", k3.q1().encode(), "pi_dl", k3.proof().encode());
        assertFalse(java.util.Arrays.equals(mine, asP2));
        assertFalse(java.util.Arrays.equals(mine, otherSession));
    }

    // ---------------------------------------------------------------- row 15: unverified output

    @Test
    void row15_keygenOutputIsConsistencyCheckedBeforeP1KeepsIt() {
        Hook badConfirm = Tamper.at(Party.P2, 1, m -> Tamper.body(m, b -> Tamper.flip(b, 10)));
        var o = Protocols.keygen(Fixtures.sid("row15"), Fixtures.env("c1"), Fixtures.env("c2"), badConfirm);
        assertNull(o.p1().result(), "P1 outputs no share");
        assertFailure(FailureKind.INCONSISTENT_STATE, Party.P2, o.p1().failure());
    }
}
