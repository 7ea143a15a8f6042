package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Integer helpers shared by the proofs (docs/zk-proofs.md §1): integer square root, Jacobi symbol, signed modular
 * exponentiation through the injected {@link ModPow}, uniform sampling of signed ranges, range checks, and the
 * strict failure constructors. Package-private: nothing here is API.
 */
final class ZkMath {
    /** Statistical/security parameter ℓ of Π^fac and Π^log* (CGGMP21 Fig. 25, 28). */
    static final int ELL = 256;
    /** Slackness parameter ε of Π^fac and Π^log*. */
    static final int EPSILON = 512;
    /** Largest Paillier modulus any proof accepts (bounds decoding; PaillierKeyProof pins the exact size). */
    static final int MAX_PAILLIER_BITS = 3072;
    /** Byte bound of an element of Z_N for N of at most MAX_PAILLIER_BITS bits. */
    static final int MAX_PAILLIER_BYTES = MAX_PAILLIER_BITS / 8;
    /** Byte bound of a signed integer response (the largest honest one, v of Π^fac, is below 2^5200). */
    static final int MAX_RESPONSE_BYTES = 1024;

    static final BigInteger Q = Secp256k1.N;

    private ZkMath() {}

    /** floor(sqrt(n)) for n >= 0 by Newton's method (no reliance on BigInteger.sqrt, which TeaVM may lack). */
    static BigInteger isqrt(BigInteger n) {
        if (n.signum() < 0) {
            throw new IllegalArgumentException("square root of a negative integer");
        }
        if (n.signum() == 0) {
            return BigInteger.ZERO;
        }
        // Start above the root: 2^ceil(bits/2) > sqrt(n); Newton's iteration then decreases monotonically.
        BigInteger x = BigInteger.ONE.shiftLeft((n.bitLength() + 1) / 2);
        while (true) {
            BigInteger y = x.add(n.divide(x)).shiftRight(1);
            if (y.compareTo(x) >= 0) {
                return x;
            }
            x = y;
        }
    }

    static boolean isPerfectSquare(BigInteger n) {
        BigInteger r = isqrt(n);
        return r.multiply(r).equals(n);
    }

    /** Jacobi symbol (a / n) for odd n > 0, in {-1, 0, 1} (binary algorithm with quadratic reciprocity). */
    static int jacobi(BigInteger a, BigInteger n) {
        if (n.signum() <= 0 || !n.testBit(0)) {
            throw new IllegalArgumentException("Jacobi symbol needs an odd positive modulus");
        }
        BigInteger x = a.mod(n);
        BigInteger m = n;
        int result = 1;
        while (x.signum() != 0) {
            int twos = x.getLowestSetBit();
            x = x.shiftRight(twos);
            int m8 = m.intValue() & 7;
            if ((twos & 1) == 1 && (m8 == 3 || m8 == 5)) {
                result = -result;
            }
            // reciprocity: swap, with a sign flip when both are 3 mod 4
            if ((x.intValue() & 3) == 3 && (m.intValue() & 3) == 3) {
                result = -result;
            }
            BigInteger t = x;
            x = m.mod(t);
            m = t;
        }
        return m.equals(BigInteger.ONE) ? result : 0;
    }

    /** base^exp mod m for any integer exp (a negative exponent uses the inverse of base; base must be a unit). */
    static BigInteger powSigned(ModPow mp, BigInteger base, BigInteger exp, BigInteger m) {
        if (exp.signum() >= 0) {
            return mp.modPow(base.mod(m), exp, m);
        }
        return mp.modPow(base.modInverse(m), exp.negate(), m);
    }

    /** Uniform integer in [0, bound) for bound >= 1 (rejection sampling on bitLength(bound) bits). */
    static BigInteger below(BigInteger bound, RandomSource rng) {
        if (bound.signum() <= 0) {
            throw new IllegalArgumentException("sampling bound must be positive");
        }
        int bits = bound.bitLength();
        byte[] buf = new byte[(bits + 7) / 8];
        int excess = buf.length * 8 - bits;
        while (true) {
            rng.nextBytes(buf);
            buf[0] &= (byte) (0xff >>> excess);
            BigInteger r = new BigInteger(1, buf);
            if (r.compareTo(bound) < 0) {
                java.util.Arrays.fill(buf, (byte) 0);
                return r;
            }
        }
    }

    /** Uniform integer in the signed range ±bound = [-bound, bound]. */
    static BigInteger signed(BigInteger bound, RandomSource rng) {
        return below(bound.shiftLeft(1).add(BigInteger.ONE), rng).subtract(bound);
    }

    /** |v| <= bound. */
    static boolean inSignedRange(BigInteger v, BigInteger bound) {
        return v.abs().compareTo(bound) <= 0;
    }

    /** 1 <= v < m and gcd(v, m) = 1. */
    static boolean isUnit(BigInteger v, BigInteger m) {
        return v.signum() > 0 && v.compareTo(m) < 0 && v.gcd(m).equals(BigInteger.ONE);
    }

    /** The Fiat-Shamir challenge e uniform in [0, q), q = the secp256k1 group order. */
    static BigInteger challenge(Transcript t) {
        return t.challengeBelow("e", Q);
    }

    /** y + e·x on secp256k1, or null when the sum is the identity (e in [0, q)). */
    static Point plusMul(Point y, Point x, BigInteger e) {
        BigInteger k = e.mod(Q);
        if (k.signum() == 0) {
            return y;
        }
        Point ex = x.mul(k);
        // ex = -y exactly when the x-coordinates agree and the y-parities differ: the sum is the identity
        if (ex.x().equals(y.x()) && ex.yIsOdd() != y.yIsOdd()) {
            return null;
        }
        return y.add(ex);
    }

    static ProtocolException invalid(String step, ProofContext ctx, String reason) {
        return new ProtocolException(FailureKind.PROOF_INVALID, step, ctx.prover(), reason);
    }

    static ProtocolException badParameter(String step, ProofContext ctx, String reason) {
        return new ProtocolException(FailureKind.INVALID_PARAMETER, step, ctx.prover(), reason);
    }

    static ProtocolException malformed(String step, String reason) {
        return new ProtocolException(FailureKind.MALFORMED_MESSAGE, step, null, reason);
    }
}
