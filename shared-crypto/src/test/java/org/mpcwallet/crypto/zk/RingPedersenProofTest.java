package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mpcwallet.crypto.zk.ZkTestSupport.MP;
import static org.mpcwallet.crypto.zk.ZkTestSupport.assertReasonContains;
import static org.mpcwallet.crypto.zk.ZkTestSupport.ctx;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rejected;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.paillier.Primes;
import org.mpcwallet.crypto.parity.TestRingPedersen;

/** Π^prm (docs/zk-proofs.md §8; checklist rows 5, 17): completeness, soundness against bad parameters, codec. */
class RingPedersenProofTest {
    private static final RingPedersenSetup SETUP = TestRingPedersen.setup("zk-test", MP);
    private static final ProvenRingPedersen PROVEN = SETUP.prove(ZkTestSupport.rng("prm"), MP);

    @Test
    void anHonestProofVerifiesAndRoundTrips() {
        VerifiedRingPedersen v = PROVEN.verify(ctx(), MP);
        assertEquals(SETUP.params(), v.params());
        byte[] enc = PROVEN.encode();
        ProvenRingPedersen back = ProvenRingPedersen.decode(enc);
        assertArrayEquals(enc, back.encode());
        assertDoesNotThrow(() -> back.verify(ctx(), MP));
        assertArrayEquals(SETUP.params().fingerprint(), v.fingerprint());
    }

    @Test
    void freshlyGeneratedParametersHaveSafePrimesAndVerify() {
        RingPedersenSetup fresh = RingPedersenSetup.generate(ZkTestSupport.rng("prm/fresh"), MP);
        assertEquals(2048, fresh.params().nHat().bitLength());
        assertDoesNotThrow(() -> fresh.prove(ZkTestSupport.rng("prm/fresh/proof"), MP).verify(ctx(), MP));
    }

    @Test
    void safePrimesAreSafe() {
        for (int i = 0; i < 3; i++) {
            BigInteger p = Primes.safePrime(256, ZkTestSupport.rng("safe/" + i));
            assertEquals(256, p.bitLength());
            assertEquals(true, p.isProbablePrime(80) && p.shiftRight(1).isProbablePrime(80));
        }
    }

    /** s outside ⟨t⟩ (here -s, a non-residue since p ≡ 3 mod 4): the proof of the honest s fails for it. */
    @Test
    void sOutsideTheSubgroupOfTIsRejected() {
        RingPedersenParams rp = SETUP.params();
        RingPedersenParams bad = RingPedersenParams.of(rp.nHat(), rp.nHat().subtract(rp.s()), rp.t());
        ProtocolFailure f = rejected(FailureKind.PROOF_INVALID,
                () -> new ProvenRingPedersen(bad, PROVEN.proof()).verify(ctx(), MP));
        assertReasonContains(f, "t^z_");
        // a prover who guesses every challenge bit in advance (A_i = t^z_i / s^g_i) is caught unless all 128 guesses hit
        BigInteger[] capA = new BigInteger[RingPedersenProof.ROUNDS];
        BigInteger[] z = new BigInteger[RingPedersenProof.ROUNDS];
        BigInteger sInv = bad.s().modInverse(bad.nHat());
        for (int i = 0; i < capA.length; i++) {
            z[i] = ZkMath.below(bad.nHat(), ZkTestSupport.rng("guess/" + i));
            capA[i] = MP.modPow(bad.t(), z[i], bad.nHat()).multiply(i % 2 == 0 ? sInv : BigInteger.ONE)
                    .mod(bad.nHat());
        }
        rejected(FailureKind.PROOF_INVALID,
                () -> new ProvenRingPedersen(bad, new RingPedersenProof(capA, z)).verify(ctx(), MP));
    }

    @Test
    void otherParametersDoNotTakeTheProof() {
        RingPedersenParams rp = SETUP.params();
        RingPedersenParams swapped = RingPedersenParams.of(rp.nHat(), rp.t(), rp.s());
        rejected(FailureKind.PROOF_INVALID, () -> new ProvenRingPedersen(swapped, PROVEN.proof()).verify(ctx(), MP));
    }

    @Test
    void aModulusOfTheWrongSizeOrWithSmallFactorsIsRejected() {
        RingPedersenParams rp = SETUP.params();
        BigInteger small = rp.nHat().shiftRight(1).setBit(0);
        ProtocolFailure f = rejected(FailureKind.INVALID_PARAMETER,
                () -> new ProvenRingPedersen(RingPedersenParams.of(small, rp.s().mod(small), rp.t().mod(small)),
                        PROVEN.proof()).verify(ctx(), MP));
        assertReasonContains(f, "2048 bits");
        BigInteger withFactor = rp.nHat().subtract(rp.nHat().mod(BigInteger.valueOf(3)));
        if (!withFactor.testBit(0)) {
            withFactor = withFactor.add(BigInteger.valueOf(3));
        }
        BigInteger wf = withFactor;
        rejected(FailureKind.INVALID_PARAMETER, () -> new ProvenRingPedersen(
                RingPedersenParams.of(wf, BigInteger.valueOf(4), BigInteger.valueOf(16)), PROVEN.proof())
                .verify(ctx(), MP));
    }

    @Test
    void aWrongRoundCountIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new RingPedersenProof(new BigInteger[127], new BigInteger[127]));
        BigInteger[] a = PROVEN.proof().capA();
        BigInteger[] z = PROVEN.proof().z();
        WireWriter w = new WireWriter().count(127);
        for (int i = 0; i < 127; i++) {
            w.unsigned(a[i]).unsigned(z[i]);
        }
        assertEquals(FailureKind.MALFORMED_MESSAGE,
                rejected(() -> RingPedersenProof.decode(w.toByteArray())).kind());
        assertEquals(FailureKind.MALFORMED_MESSAGE,
                rejected(() -> ProvenRingPedersen.decode(ZkTestSupport.withTrailingByte(PROVEN.encode()))).kind());
    }

    @Test
    void aResponseAtOrAboveNhatIsRejected() {
        BigInteger[] a = PROVEN.proof().capA();
        BigInteger[] z = PROVEN.proof().z();
        z[5] = z[5].add(SETUP.params().nHat());
        ProtocolFailure f = rejected(FailureKind.PROOF_INVALID,
                () -> new ProvenRingPedersen(SETUP.params(), new RingPedersenProof(a, z)).verify(ctx(), MP));
        assertReasonContains(f, "z_5 >= Nhat");
    }

    /** The cache remembers parameters it verified itself, and only those. */
    @Test
    void theCacheChecksEachParameterSetOnceAndRemembersOnlyWhatVerified() {
        RingPedersenCache cache = new RingPedersenCache();
        RingPedersenParams rp = SETUP.params();
        RingPedersenParams bad = RingPedersenParams.of(rp.nHat(), rp.nHat().subtract(rp.s()), rp.t());
        rejected(FailureKind.PROOF_INVALID, () -> cache.verify(ctx(), new ProvenRingPedersen(bad, PROVEN.proof()), MP));
        assertEquals(0, cache.size(), "a failed check is not remembered");
        assertEquals(rp, cache.verify(ctx(), PROVEN, MP).params());
        assertEquals(1, cache.size());
        // the same parameters again: their statement was proven here, the proof is not re-checked
        BigInteger[] z = PROVEN.proof().z();
        z[0] = z[0].add(BigInteger.ONE);
        ProvenRingPedersen sameParamsOtherProof =
                new ProvenRingPedersen(rp, new RingPedersenProof(PROVEN.proof().capA(), z));
        assertEquals(rp, cache.verify(ctx(), sameParamsOtherProof, MP).params());
        // other parameters are checked in full
        rejected(FailureKind.PROOF_INVALID, () -> cache.verify(ctx(), new ProvenRingPedersen(bad, PROVEN.proof()), MP));
    }

    @Test
    void flippedBitsAreRejected() {
        ZkTestSupport.everyFlipRejected(PROVEN.encode(), 40, ProvenRingPedersen::decode, p -> p.verify(ctx(), MP));
    }
}
