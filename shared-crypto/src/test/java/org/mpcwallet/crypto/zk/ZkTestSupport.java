package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.function.Executable;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.Primes;

/** Shared fixtures: seeded keys (generated once per JVM), contexts, and rejection assertions. */
final class ZkTestSupport {
    static final ModPow MP = ModPow.JAVA;
    static final String PROTOCOL = "mpcwallet/test/v1";

    private ZkTestSupport() {}

    /** The verifier's ring-Pedersen parameters in the zk tests (the fixed-prime fixture, made once). */
    static RingPedersenParams rp() {
        return Verifier.SETUP.params();
    }

    /** The same parameters as a prover holds them after Π^prm. */
    static VerifiedRingPedersen vrp() {
        return Verifier.VERIFIED;
    }

    private static final class Verifier {
        static final RingPedersenSetup SETUP = org.mpcwallet.crypto.parity.TestRingPedersen.setup("zk-verifier", MP);
        static final VerifiedRingPedersen VERIFIED = new VerifiedRingPedersen(SETUP.params());
    }

    /** The 2048-bit Paillier-Blum key most tests prove about (deterministic, generated once). */
    static PaillierPrivateKey key() {
        return Keys.KEY;
    }

    /** A second, independent 2048-bit key (for "proof from another N" tests). */
    static PaillierPrivateKey otherKey() {
        return OtherKey.KEY;
    }

    /**
     * A Paillier-Blum key whose modulus has exactly 2048 bits but a 200-bit factor (above trial division, far below
     * the 2^255 that Π^fac guarantees): p ≡ q ≡ 3 (mod 4), so Π^mod alone would accept it.
     */
    static PaillierPrivateKey smallFactorKey() {
        return SmallFactorKey.KEY;
    }

    private static final class SmallFactorKey {
        static final PaillierPrivateKey KEY = make();

        private static PaillierPrivateKey make() {
            BigInteger p = blumPrime(200, "small-factor-p");
            BigInteger q = blumPrime(1848, "small-factor-q");
            if (p.multiply(q).bitLength() != 2048) {
                throw new IllegalStateException("fixture modulus must have 2048 bits");
            }
            return new PaillierPrivateKey(p, q);
        }
    }

    private static final class Keys {
        static final PaillierPrivateKey KEY =
                PaillierPrivateKey.generate(2048, DeterministicRandom.fromLabel("zk-test/paillier-key/1"));
    }

    private static final class OtherKey {
        static final PaillierPrivateKey KEY =
                PaillierPrivateKey.generate(2048, DeterministicRandom.fromLabel("zk-test/paillier-key/2"));
    }

    static DeterministicRandom rng(String label) {
        return DeterministicRandom.fromLabel("zk-test/" + label);
    }

    static byte[] sid(int fill) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) fill);
        s[0] = 0x5a;
        return s;
    }

    static ProofContext ctx() {
        return new ProofContext(PROTOCOL, sid(1), Party.P1);
    }

    /** The three ways a replayed proof can sit in a wrong context (checklist row 8). */
    static ProofContext[] wrongContexts() {
        byte[] otherSid = sid(1);
        otherSid[31] ^= 1;
        return new ProofContext[] {
            new ProofContext(PROTOCOL, otherSid, Party.P1),
            new ProofContext(PROTOCOL, sid(1), Party.P2),
            new ProofContext("mpcwallet/other/v1", sid(1), Party.P1),
        };
    }

    /** A Blum prime (≡ 3 mod 4) of exactly {@code bits} bits with the top two bits set. */
    static BigInteger blumPrime(int bits, String label) {
        return Primes.blumPrime(bits, rng("prime/" + label));
    }

    static ProtocolFailure rejected(Executable call) {
        ProtocolException e = assertThrows(ProtocolException.class, call);
        return e.failure();
    }

    static ProtocolFailure rejected(FailureKind kind, Executable call) {
        ProtocolFailure f = rejected(call);
        assertEquals(kind, f.kind(), () -> "unexpected failure " + f);
        return f;
    }

    static void assertReasonContains(ProtocolFailure f, String fragment) {
        assertTrue(f.reason().contains(fragment), () -> "reason '" + f.reason() + "' lacks '" + fragment + "'");
    }

    /**
     * Flips one bit (cycling through the 8 positions) at each of {@code samples} offsets spread evenly over the
     * encoding, plus the last byte, and asserts that each mutant either fails strict decoding or fails verification.
     */
    static <T> void everyFlipRejected(byte[] encoded, int samples, Function<byte[], T> decode, Consumer<T> verify) {
        int n = encoded.length;
        int step = Math.max(1, n / samples);
        for (int off = 0; off < n; off += step) {
            flipRejected(encoded, off, (off / step) % 8, decode, verify);
        }
        flipRejected(encoded, n - 1, 0, decode, verify);
    }

    /** For every byte of a (short) encoding, changing its lowest or its highest bit is rejected. */
    static <T> void everyByteRejected(byte[] encoded, Function<byte[], T> decode, Consumer<T> verify) {
        for (int off = 0; off < encoded.length; off++) {
            for (int bit : new int[] {0, 7}) {
                flipRejected(encoded, off, bit, decode, verify);
            }
        }
    }

    static <T> void flipRejected(byte[] encoded, int off, int bit, Function<byte[], T> decode, Consumer<T> verify) {
        {
            byte[] m = encoded.clone();
            m[off] ^= (byte) (1 << bit);
            T decoded;
            try {
                decoded = decode.apply(m);
            } catch (ProtocolException e) {
                assertEquals(FailureKind.MALFORMED_MESSAGE, e.failure().kind());
                return;
            }
            try {
                verify.accept(decoded);
            } catch (ProtocolException e) {
                return;
            }
            fail("bit " + bit + " of byte " + off + " flipped and the proof still verifies");
        }
    }

    static byte[] withTrailingByte(byte[] b) {
        return Arrays.copyOf(b, b.length + 1);
    }
}
