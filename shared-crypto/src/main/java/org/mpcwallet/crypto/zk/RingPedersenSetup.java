package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.paillier.Primes;

/**
 * The secret side of a party's own ring-Pedersen parameters (docs/zk-proofs.md §8): N̂ = p·q with p, q safe primes
 * of 1024 bits, t a random square and s = t^λ. Its owner is the verifier of the proofs made under these parameters,
 * so only the owner's soundness depends on them; the other party (the prover) checks with Π^prm
 * ({@link #prove}) that s lies in ⟨t⟩, which is all the prover's zero-knowledge needs. After proving, the owner may
 * discard this object: verification needs only the public (N̂, s, t). Secret: toString is redacted.
 */
public final class RingPedersenSetup {
    /** The agreed size of N̂. */
    public static final int MODULUS_BITS = 2048;

    private final BigInteger p;
    private final BigInteger q;
    private final BigInteger phi;
    private final BigInteger lambda;
    private final RingPedersenParams params;

    private RingPedersenSetup(BigInteger p, BigInteger q, BigInteger lambda, RingPedersenParams params) {
        this.p = p;
        this.q = q;
        this.phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        this.lambda = lambda;
        this.params = params;
    }

    /** Fresh parameters: two random 1024-bit safe primes (seconds on the JVM; done once, then cached). */
    public static RingPedersenSetup generate(RandomSource rng, ModPow mp) {
        while (true) {
            BigInteger p = Primes.safePrime(MODULUS_BITS / 2, rng);
            BigInteger q = Primes.safePrime(MODULUS_BITS / 2, rng);
            if (!p.equals(q) && p.multiply(q).bitLength() == MODULUS_BITS) {
                return fromSafePrimes(p, q, rng, mp);
            }
        }
    }

    /**
     * Parameters over given safe primes (tests and fixtures use fixed primes to avoid the search; production calls
     * {@link #generate}). Checks the primes are distinct safe primes and N̂ has exactly 2048 bits.
     */
    public static RingPedersenSetup fromSafePrimes(BigInteger p, BigInteger q, RandomSource rng, ModPow mp) {
        if (p.equals(q) || !isSafePrime(p) || !isSafePrime(q) || p.multiply(q).bitLength() != MODULUS_BITS) {
            throw new IllegalArgumentException("ring-Pedersen primes must be distinct safe primes with a 2048-bit product");
        }
        BigInteger nHat = p.multiply(q);
        BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        while (true) {
            BigInteger r = ZkMath.below(nHat, rng);
            if (!ZkMath.isUnit(r, nHat)) {
                continue;
            }
            BigInteger t = r.multiply(r).mod(nHat);
            BigInteger lambda = ZkMath.below(phi, rng);
            BigInteger s = mp.modPow(t, lambda, nHat);
            if (t.equals(BigInteger.ONE) || s.equals(BigInteger.ONE) || s.equals(t)) {
                continue;
            }
            return new RingPedersenSetup(p, q, lambda, RingPedersenParams.of(nHat, s, t));
        }
    }

    private static boolean isSafePrime(BigInteger p) {
        return p.signum() > 0 && p.isProbablePrime(100) && p.shiftRight(1).isProbablePrime(100);
    }

    /** The public parameters. */
    public RingPedersenParams params() {
        return params;
    }

    /** Π^prm for these parameters: the public bundle the other party verifies once. */
    public ProvenRingPedersen prove(RandomSource rng, ModPow mp) {
        return new ProvenRingPedersen(params, RingPedersenProof.prove(params, lambda, phi, rng, mp));
    }

    @Override
    public String toString() {
        return "RingPedersenSetup[" + params.nHat().bitLength() + " bits, secret redacted]";
    }
}
