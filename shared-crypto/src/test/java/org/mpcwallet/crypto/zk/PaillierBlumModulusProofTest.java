package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mpcwallet.crypto.zk.ZkTestSupport.MP;
import static org.mpcwallet.crypto.zk.ZkTestSupport.assertReasonContains;
import static org.mpcwallet.crypto.zk.ZkTestSupport.ctx;
import static org.mpcwallet.crypto.zk.ZkTestSupport.rejected;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;

class PaillierBlumModulusProofTest {
    private static final PaillierPrivateKey KEY = ZkTestSupport.key();
    private static final BigInteger N = KEY.publicKey().n();
    private static final PaillierBlumModulusProof PROOF =
            PaillierBlumModulusProof.prove(ctx(), KEY, ZkTestSupport.rng("mod"), MP);

    private static void verify(PaillierBlumModulusProof p) {
        PaillierBlumModulusProof.verify(ctx(), N, p, MP);
    }

    @Test
    void honestProofVerifies() {
        assertEquals(PaillierBlumModulusProof.ITERATIONS, PROOF.iterations().size());
        assertEquals(-1, ZkMath.jacobi(PROOF.w(), N));
        assertDoesNotThrow(() -> verify(PROOF));
    }

    @Test
    void encodingRoundTrips() {
        byte[] enc = PROOF.encode();
        PaillierBlumModulusProof back = PaillierBlumModulusProof.decode(enc);
        assertEquals(PROOF, back);
        assertArrayEquals(enc, back.encode());
        verify(back);
    }

    private static PaillierBlumModulusProof withIteration(int i,
            UnaryOperator<PaillierBlumModulusProof.Iteration> change) {
        List<PaillierBlumModulusProof.Iteration> its = new ArrayList<>(PROOF.iterations());
        its.set(i, change.apply(its.get(i)));
        return new PaillierBlumModulusProof(PROOF.w(), its);
    }

    @Test
    void tamperedWIsRejected() {
        BigInteger w = PROOF.w();
        // -w and 4w keep Jacobi -1 (Jacobi(-1, N) = 1 for a Blum N), so only the challenge binding stops them
        for (BigInteger other : new BigInteger[] {N.subtract(w), w.shiftLeft(2).mod(N), w.add(BigInteger.ONE), N,
            N.add(w)}) {
            rejected(FailureKind.PROOF_INVALID,
                    () -> verify(new PaillierBlumModulusProof(other, PROOF.iterations())));
        }
    }

    @Test
    void tamperedIterationFieldsAreRejected() {
        // x, a, b fail the cheap fourth-root pass; a changed z_i costs i + 1 full exponentiations, so z is changed
        // at the first and the last iteration only
        for (int i : new int[] {0, 41, PaillierBlumModulusProof.ITERATIONS - 1}) {
            boolean zToo = i != 41;
            List<UnaryOperator<PaillierBlumModulusProof.Iteration>> changes = List.of(
                    it -> new PaillierBlumModulusProof.Iteration(it.x().add(BigInteger.ONE), it.z(), it.a(), it.b()),
                    // -x is also a fourth root: rejected only because it is not the canonical root
                    it -> new PaillierBlumModulusProof.Iteration(N.subtract(it.x()), it.z(), it.a(), it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x().add(N), it.z(), it.a(), it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x(), it.z().add(BigInteger.ONE), it.a(), it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x(), N.subtract(it.z()), it.a(), it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x(), it.z().add(N), it.a(), it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x(), it.z(), !it.a(), it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x(), it.z(), it.a(), !it.b()),
                    it -> new PaillierBlumModulusProof.Iteration(it.x(), it.z(), !it.a(), !it.b()));
            for (int c = 0; c < changes.size(); c++) {
                if (!zToo && (c == 3 || c == 4)) {
                    continue;
                }
                PaillierBlumModulusProof bad = withIteration(i, changes.get(c));
                rejected(FailureKind.PROOF_INVALID, () -> verify(bad));
            }
        }
        // iterations swapped: each answer belongs to its own challenge
        List<PaillierBlumModulusProof.Iteration> its = new ArrayList<>(PROOF.iterations());
        its.set(0, PROOF.iterations().get(1));
        its.set(1, PROOF.iterations().get(0));
        rejected(FailureKind.PROOF_INVALID, () -> verify(new PaillierBlumModulusProof(PROOF.w(), its)));
    }

    @Test
    void bitFlipsInTheEncodingAreRejected() {
        ZkTestSupport.everyFlipRejected(PROOF.encode(), 12, PaillierBlumModulusProof::decode,
                PaillierBlumModulusProofTest::verify);
    }

    private static byte[] encodeWithCount(int declared, int actual) {
        WireWriter out = new WireWriter().unsigned(PROOF.w()).count(declared);
        for (int i = 0; i < actual; i++) {
            PaillierBlumModulusProof.Iteration it = PROOF.iterations().get(i % PROOF.iterations().size());
            out.unsigned(it.x()).unsigned(it.z()).u8(it.a() ? 1 : 0).u8(it.b() ? 1 : 0);
        }
        return out.toByteArray();
    }

    @Test
    void strictDecodingRejectsWrongCountsAndMalformedBytes() {
        byte[] enc = PROOF.encode();
        assertDoesNotThrow(() -> PaillierBlumModulusProof.decode(encodeWithCount(128, 128)));
        // checklist row 5: fewer or more repetitions are rejected, whatever the bytes say
        for (int[] c : new int[][] {{80, 80}, {127, 127}, {129, 129}, {1, 1}, {0, 0}, {128, 127}, {128, 129},
            {127, 128}}) {
            rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(encodeWithCount(c[0], c[1])));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new PaillierBlumModulusProof(PROOF.w(), PROOF.iterations().subList(0, 127)));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(ZkTestSupport.withTrailingByte(enc)));
        for (int len : new int[] {0, 1, 4, 100, enc.length / 2, enc.length - 1}) {
            byte[] cut = Arrays.copyOf(enc, len);
            rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(cut));
        }
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(null));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(new byte[enc.length]));
        // flag byte 2, non-minimal integer, zero x, over-long integer
        PaillierBlumModulusProof.Iteration it0 = PROOF.iterations().get(0);
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(
                replaceFirstIteration(new WireWriter().unsigned(it0.x()).unsigned(it0.z()).u8(2).u8(0))));
        byte[] xBytes = it0.x().toByteArray();
        byte[] padded = new byte[xBytes.length + 1];
        System.arraycopy(xBytes, 0, padded, 1, xBytes.length);
        padded[0] = 0;
        byte[] nonMinimal = new byte[padded.length + 1];
        System.arraycopy(padded, 0, nonMinimal, 1, padded.length);
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(
                replaceFirstIteration(new WireWriter().bytes(nonMinimal).unsigned(it0.z()).u8(0).u8(0))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(
                replaceFirstIteration(new WireWriter().unsigned(BigInteger.ZERO).unsigned(it0.z()).u8(0).u8(0))));
        rejected(FailureKind.MALFORMED_MESSAGE, () -> PaillierBlumModulusProof.decode(replaceFirstIteration(
                new WireWriter().unsigned(BigInteger.ONE.shiftLeft(3072)).unsigned(it0.z()).u8(0).u8(0))));
    }

    /** The encoding with iteration 0 replaced by the given raw bytes. */
    private static byte[] replaceFirstIteration(WireWriter first) {
        WireWriter out = new WireWriter().unsigned(PROOF.w()).count(128).raw(first.toByteArray());
        for (int i = 1; i < 128; i++) {
            PaillierBlumModulusProof.Iteration it = PROOF.iterations().get(i);
            out.unsigned(it.x()).unsigned(it.z()).u8(it.a() ? 1 : 0).u8(it.b() ? 1 : 0);
        }
        return out.toByteArray();
    }

    @Test
    void proofFromAnotherContextIsRejected() {
        for (ProofContext wrong : ZkTestSupport.wrongContexts()) {
            rejected(FailureKind.PROOF_INVALID, () -> PaillierBlumModulusProof.verify(wrong, N, PROOF, MP));
        }
    }

    @Test
    void challengeBindsTheModulus() {
        BigInteger other = ZkTestSupport.otherKey().publicKey().n();
        rejected(FailureKind.PROOF_INVALID, () -> PaillierBlumModulusProof.verify(ctx(), other, PROOF, MP));
        // N + 2·(something) keeps w < N: still rejected (challenges differ)
        rejected(() -> PaillierBlumModulusProof.verify(ctx(), N.add(BigInteger.valueOf(4)), PROOF, MP));
    }

    @Test
    void unusableModuliAreRejectedBeforeTheProof() {
        BigInteger prime = ZkTestSupport.blumPrime(512, "mod-prime");
        ProtocolFailure f = rejected(FailureKind.INVALID_PARAMETER,
                () -> PaillierBlumModulusProof.verify(ctx(), prime, PROOF, MP));
        assertReasonContains(f, "prime");
        BigInteger sq = prime.multiply(prime);
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER,
                () -> PaillierBlumModulusProof.verify(ctx(), sq, PROOF, MP)), "square");
        assertReasonContains(rejected(FailureKind.INVALID_PARAMETER,
                () -> PaillierBlumModulusProof.verify(ctx(), N.add(BigInteger.ONE), PROOF, MP)), "odd");
        rejected(FailureKind.INVALID_PARAMETER, () -> PaillierBlumModulusProof.verify(ctx(), BigInteger.ONE, PROOF, MP));
        rejected(FailureKind.INVALID_PARAMETER, () -> PaillierBlumModulusProof.verify(ctx(), BigInteger.ZERO, PROOF, MP));
        rejected(FailureKind.INVALID_PARAMETER,
                () -> PaillierBlumModulusProof.verify(ctx(), BigInteger.ONE.shiftLeft(3072).add(BigInteger.ONE), PROOF, MP));
        rejected(FailureKind.PROOF_INVALID, () -> PaillierBlumModulusProof.verify(ctx(), N, null, MP));
    }

    @Test
    void cheaterForAnHonestModulusPasses() {
        // the cheater is a correct prover when N really is p·q: its failures below are the modulus', not its own
        PaillierBlumModulusProof p = CheatingProvers.bestEffortMod(ctx(), List.of(KEY.p(), KEY.q()),
                ZkTestSupport.rng("cheat-honest"));
        assertDoesNotThrow(() -> verify(p));
    }

    @Test
    void threePrimeModulusFailsEvenForABestEffortProver() {
        List<BigInteger> primes = threeBlumPrimes();
        BigInteger n = primes.get(0).multiply(primes.get(1)).multiply(primes.get(2));
        assertEquals(2048, n.bitLength());
        PaillierBlumModulusProof p = CheatingProvers.bestEffortMod(ctx(), primes, ZkTestSupport.rng("cheat-pqr"));
        ProtocolFailure f = rejected(FailureKind.PROOF_INVALID, () -> PaillierBlumModulusProof.verify(ctx(), n, p, MP));
        assertTrue(f.reason().contains("x_i"), f::toString);
    }

    @Test
    void manySmallPrimeFactorsFailEvenForABestEffortProver() {
        // BitForge-style modulus without the trial-division guard: small Blum primes times one big Blum prime
        List<BigInteger> primes = new ArrayList<>();
        for (int s : new int[] {3, 7, 11, 19, 23, 31, 43, 47, 59, 67}) {
            primes.add(BigInteger.valueOf(s));
        }
        primes.add(ZkTestSupport.blumPrime(1000, "bitforge-big"));
        BigInteger n = BigInteger.ONE;
        for (BigInteger p : primes) {
            n = n.multiply(p);
        }
        BigInteger nn = n;
        PaillierBlumModulusProof p = CheatingProvers.bestEffortMod(ctx(), primes, ZkTestSupport.rng("cheat-small"));
        rejected(() -> PaillierBlumModulusProof.verify(ctx(), nn, p, MP));
    }

    /** Three Blum primes whose product has exactly 2048 bits (generated once per JVM). */
    static List<BigInteger> threeBlumPrimes() {
        return ThreePrimes.PRIMES;
    }

    private static final class ThreePrimes {
        static final List<BigInteger> PRIMES = make();
    }

    private static List<BigInteger> make() {
        for (int attempt = 0; ; attempt++) {
            BigInteger p = ZkTestSupport.blumPrime(683, "pqr-p-" + attempt);
            BigInteger q = ZkTestSupport.blumPrime(683, "pqr-q-" + attempt);
            BigInteger r = ZkTestSupport.blumPrime(682, "pqr-r-" + attempt);
            if (p.multiply(q).multiply(r).bitLength() == 2048 && !p.equals(q)) {
                return List.of(p, q, r);
            }
        }
    }
}
