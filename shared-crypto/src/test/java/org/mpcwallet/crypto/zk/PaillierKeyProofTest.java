package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.crypto.zk.ZkTestSupport.MP;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rp;
import static org.mpcwallet.crypto.zk.ZkTestSupport.vrp;
import static org.mpcwallet.crypto.zk.ZkTestSupport.assertReasonContains;
import static org.mpcwallet.crypto.zk.ZkTestSupport.ctx;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rejected;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.Primes;

/** Checklist row 1 (BitForge): the Paillier key check at key setup, end to end. */
class PaillierKeyProofTest {
    private static final PaillierPrivateKey KEY = ZkTestSupport.key();
    private static final BigInteger N = KEY.publicKey().n();
    private static final PaillierKeyProof BUNDLE = PaillierKeyProof.prove(ctx(), vrp(), KEY, ZkTestSupport.rng("key"), MP);

    private static VerifiedPaillierKey verify(BigInteger n, PaillierKeyProof proof) {
        return PaillierKeyProof.verify(ctx(), rp(), n, proof, 2048, MP);
    }

    @Test
    void honestKeyBecomesAVerifiedKey() {
        VerifiedPaillierKey vk = verify(N, BUNDLE);
        assertEquals(N, vk.n());
        assertEquals(2048, vk.bitLength());
        assertEquals(KEY.publicKey(), vk.publicKey());
    }

    @Test
    void encodingRoundTrips() {
        byte[] enc = BUNDLE.encode();
        PaillierKeyProof back = PaillierKeyProof.decode(enc);
        assertEquals(BUNDLE, back);
        assertArrayEquals(enc, back.encode());
        assertArrayEquals(BUNDLE.modulusProof().encode(), back.modulusProof().encode());
        assertArrayEquals(BUNDLE.factorProof().encode(), back.factorProof().encode());
    }

    @Test
    void proofForAnotherModulusIsRejected() {
        BigInteger other = ZkTestSupport.otherKey().publicKey().n();
        ProtocolFailure f = rejected(FailureKind.PROOF_INVALID, () -> verify(other, BUNDLE));
        assertReasonContains(f, "pi-mod");
        assertEquals(Party.P1, f.culprit());
        assertEquals(PaillierKeyProof.STEP, f.step());
        // a valid Π^mod for N paired with a Π^fac for another modulus
        NoSmallFactorProof otherFac = NoSmallFactorProof.prove(ctx(), vrp(), ZkTestSupport.otherKey(),
                ZkTestSupport.rng("key-other-fac"), MP);
        assertReasonContains(rejected(FailureKind.PROOF_INVALID,
                () -> verify(N, new PaillierKeyProof(BUNDLE.modulusProof(), otherFac))), "pi-fac");
    }

    @Test
    void proofFromAnotherContextIsRejected() {
        for (ProofContext wrong : ZkTestSupport.wrongContexts()) {
            rejected(FailureKind.PROOF_INVALID, () -> PaillierKeyProof.verify(wrong, rp(), N, BUNDLE, 2048, MP));
        }
    }

    @Test
    void modulusOfTheWrongSizeIsRejectedWhateverTheProof() {
        // genuine Paillier-Blum moduli of 2047 and 2049 bits, the first with its own honest proofs
        BigInteger p = KEY.p();
        BigInteger q2047 = ZkTestSupport.blumPrime(1023, "size-2047");
        BigInteger q2049 = ZkTestSupport.blumPrime(1025, "size-2049");
        PaillierPrivateKey k2047 = new PaillierPrivateKey(p, q2047);
        BigInteger n2047 = k2047.publicKey().n();
        BigInteger n2049 = p.multiply(q2049);
        assertEquals(2047, n2047.bitLength());
        assertEquals(2049, n2049.bitLength());
        PaillierKeyProof own = PaillierKeyProof.prove(ctx(), vrp(), k2047, ZkTestSupport.rng("size-2047"), MP);
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER, () -> verify(n2047, own)), "2047 bits");
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER, () -> verify(n2049, BUNDLE)), "2049 bits");
        // and the agreed size is the caller's constant: 2048 or 3072 only
        assertThrows(IllegalArgumentException.class, () -> PaillierKeyProof.verify(ctx(), rp(), n2047, own, 2047, MP));
        assertThrows(IllegalArgumentException.class, () -> PaillierKeyProof.verify(ctx(), rp(), N, BUNDLE, 1024, MP));
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER,
                () -> PaillierKeyProof.verify(ctx(), rp(), N, BUNDLE, 3072, MP)), "2048 bits");
    }

    @Test
    void evenModulusIsRejected() {
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER, () -> verify(N.add(BigInteger.ONE), BUNDLE)),
                "even");
    }

    @Test
    void modulusWithManySmallFactorsIsRejected() {
        // BitForge: the product of the odd primes below 400 times one big prime, exactly 2048 bits
        BigInteger small = BigInteger.ONE;
        for (int p = 3; p < 400; p += 2) {
            if (BigInteger.valueOf(p).isProbablePrime(30)) {
                small = small.multiply(BigInteger.valueOf(p));
            }
        }
        BigInteger big = BigInteger.ONE.shiftLeft(2047).divide(small).add(BigInteger.ONE).nextProbablePrime();
        BigInteger n = small.multiply(big);
        assertEquals(2048, n.bitLength());
        assertTrue(n.testBit(0));
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER, () -> verify(n, BUNDLE)), "below 2^16");
        // the largest prime below 2^16 is still caught
        BigInteger m = BigInteger.ONE.shiftLeft(2047).divide(BigInteger.valueOf(65521)).setBit(0).add(BigInteger.TWO);
        BigInteger n2 = m.multiply(BigInteger.valueOf(65521));
        assertEquals(2048, n2.bitLength());
        assertTrue(Primes.hasSmallFactor(n2));
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER, () -> verify(n2, BUNDLE)), "below 2^16");
    }

    @Test
    void threePrimeModulusIsRejectedByPiMod() {
        List<BigInteger> primes = PaillierBlumModulusProofTest.threeBlumPrimes();
        BigInteger n = primes.get(0).multiply(primes.get(1)).multiply(primes.get(2));
        assertEquals(2048, n.bitLength());
        assertTrue(!Primes.hasSmallFactor(n));
        PaillierBlumModulusProof mod = CheatingProvers.bestEffortMod(ctx(), primes, ZkTestSupport.rng("key-pqr"));
        // Π^fac alone cannot tell: p and q·r are both large
        NoSmallFactorProof fac = NoSmallFactorProof.prove(ctx(), rp(), primes.get(0), primes.get(1).multiply(primes.get(2)),
                ZkTestSupport.rng("key-pqr-fac"), MP);
        assertDoesNotThrow(() -> NoSmallFactorProof.verify(ctx(), rp(), n, fac, MP));
        assertReasonContains(rejected(FailureKind.PROOF_INVALID, () -> verify(n, new PaillierKeyProof(mod, fac))),
                "pi-mod");
    }

    @Test
    void factorJustAboveTrialDivisionIsRejectedByPiFac() {
        // N = p·q, p ~ 2^200, both Blum primes: an honest prover passes Π^mod and fails Π^fac's range check
        PaillierPrivateKey weak = ZkTestSupport.smallFactorKey();
        BigInteger n = weak.publicKey().n();
        assertEquals(2048, n.bitLength());
        assertTrue(!Primes.hasSmallFactor(n));
        PaillierKeyProof honest = PaillierKeyProof.prove(ctx(), vrp(), weak, ZkTestSupport.rng("key-weak"), MP);
        ProtocolFailure f = rejected(FailureKind.PROOF_INVALID, () -> verify(n, honest));
        assertReasonContains(f, "pi-fac");
        assertReasonContains(f, "too small");
    }

    @Test
    void missingOrEmptyProofIsNeverAccepted() {
        rejected(FailureKind.PROOF_INVALID, () -> verify(N, null));
        rejected(FailureKind.INVALID_PARAMETER, () -> verify(null, BUNDLE));
        assertThrows(IllegalArgumentException.class, () -> new PaillierKeyProof(null, BUNDLE.factorProof()));
        assertThrows(IllegalArgumentException.class, () -> new PaillierKeyProof(BUNDLE.modulusProof(), null));
        byte[] enc = BUNDLE.encode();
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(null));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(new byte[0]));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(new byte[enc.length]));
        rejected(FailureKind.MALFORMED_MESSAGE,
                () -> PaillierKeyProof.decode(new WireWriter().bytes(new byte[0]).bytes(new byte[0]).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(
                new WireWriter().bytes(BUNDLE.modulusProof().encode()).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(
                new WireWriter().bytes(BUNDLE.modulusProof().encode()).bytes(new byte[0]).toByteArray()));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(ZkTestSupport.withTrailingByte(enc)));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierKeyProof.decode(Arrays.copyOf(enc, enc.length - 1)));
    }

    @Test
    void verifiedKeyCanOnlyComeFromTheVerifier() {
        assertEquals(0, VerifiedPaillierKey.class.getConstructors().length, "no public constructor");
        for (Method m : VerifiedPaillierKey.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())
                    && m.getReturnType() == VerifiedPaillierKey.class) {
                // the one documented exception: restoring a key from the authenticated share vault
                assertEquals("fromAuthenticatedStorage", m.getName(), "unexpected public factory " + m);
            }
        }
        assertTrue(Modifier.isFinal(VerifiedPaillierKey.class.getModifiers()));
    }

    @Test
    void restoringFromStorageStillRunsTheCheapChecks() {
        assertEquals(N, VerifiedPaillierKey.fromAuthenticatedStorage(N, 2048).n());
        assertThrows(IllegalArgumentException.class, () -> VerifiedPaillierKey.fromAuthenticatedStorage(N, 3072));
        assertThrows(IllegalArgumentException.class,
                () -> VerifiedPaillierKey.fromAuthenticatedStorage(N.add(BigInteger.ONE), 2048));
        assertThrows(IllegalArgumentException.class, () -> VerifiedPaillierKey.fromAuthenticatedStorage(null, 2048));
        BigInteger withSmallFactor = BigInteger.ONE.shiftLeft(2047).divide(BigInteger.valueOf(65521)).setBit(0)
                .add(BigInteger.TWO).multiply(BigInteger.valueOf(65521));
        assertThrows(IllegalArgumentException.class,
                () -> VerifiedPaillierKey.fromAuthenticatedStorage(withSmallFactor, 2048));
        BigInteger n1024 = BigInteger.ONE.shiftLeft(1023).add(BigInteger.ONE);
        assertThrows(IllegalArgumentException.class, () -> VerifiedPaillierKey.fromAuthenticatedStorage(n1024, 1024));
    }
}
