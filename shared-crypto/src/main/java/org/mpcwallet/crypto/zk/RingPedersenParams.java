package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Ring-Pedersen parameters (N̂, s, t) (CGGMP21 Def. 2.4; docs/zk-proofs.md §2, §8). There is no fixed or shipped
 * parameter set: every set belongs to the party that generated it ({@link RingPedersenSetup}) and is the verifier's
 * for the proofs made under it. The bank's parameters are those P2 proves its signing ciphertext under (Π^aff-ec);
 * the device's parameters are those the bank proves its Paillier key and c_key under (Π^fac, Π^log*). A prover only
 * ever uses the other party's parameters as a {@link VerifiedRingPedersen} (checked with Π^prm), a verifier only its
 * own.
 *
 * <p>Binding of s^m t^r (the verifier's soundness) rests on the strong RSA assumption for N̂, whose factors only its
 * owner ever knew (and dropped); hiding (the prover's zero-knowledge) holds statistically once Π^prm showed s ∈ ⟨t⟩.
 */
public final class RingPedersenParams {
    private final BigInteger nHat;
    private final BigInteger s;
    private final BigInteger t;
    private final BigInteger sInv;
    private final BigInteger tInv;

    private RingPedersenParams(BigInteger nHat, BigInteger s, BigInteger t) {
        this.nHat = nHat;
        this.s = s;
        this.t = t;
        this.sInv = s.modInverse(nHat);
        this.tInv = t.modInverse(nHat);
    }

    /**
     * A parameter set from its public values. Checks only what is cheap (units, not 1, distinct, N̂ odd); that s lies
     * in ⟨t⟩ is what {@link RingPedersenProof} proves.
     */
    static RingPedersenParams of(BigInteger nHat, BigInteger s, BigInteger t) {
        if (nHat == null || s == null || t == null || nHat.signum() <= 0 || !nHat.testBit(0)) {
            throw new IllegalArgumentException("ring-Pedersen modulus must be a positive odd integer");
        }
        if (!ZkMath.isUnit(s, nHat) || !ZkMath.isUnit(t, nHat) || s.equals(BigInteger.ONE)
                || t.equals(BigInteger.ONE) || s.equals(t)) {
            throw new IllegalArgumentException("ring-Pedersen s and t must be distinct units other than 1");
        }
        return new RingPedersenParams(nHat, s, t);
    }

    /**
     * A party's own parameters read back from its encrypted storage (the bank signer's share store): the verifier
     * needs no proof of its own parameters. Throws IllegalArgumentException if the values are degenerate.
     */
    public static RingPedersenParams fromOwnStorage(BigInteger nHat, BigInteger s, BigInteger t) {
        return of(nHat, s, t);
    }

    public BigInteger nHat() {
        return nHat;
    }

    public BigInteger s() {
        return s;
    }

    public BigInteger t() {
        return t;
    }

    /** s^m · t^r mod N̂ for integers m, r of any sign. */
    BigInteger commit(BigInteger m, BigInteger r, ModPow mp) {
        return pow(s, sInv, m, mp).multiply(pow(t, tInv, r, mp)).mod(nHat);
    }

    /** t^r mod N̂ for an integer r of any sign. */
    BigInteger tPow(BigInteger r, ModPow mp) {
        return pow(t, tInv, r, mp);
    }

    private BigInteger pow(BigInteger base, BigInteger inverse, BigInteger exp, ModPow mp) {
        return exp.signum() >= 0 ? mp.modPow(base, exp, nHat) : mp.modPow(inverse, exp.negate(), nHat);
    }

    /** An element of Z_N̂^*: 1 <= v < N̂ and gcd(v, N̂) = 1. */
    boolean isElement(BigInteger v) {
        return ZkMath.isUnit(v, nHat);
    }

    /** Appends N̂, s, t to a proof transcript. */
    void absorbInto(Transcript tr) {
        tr.append("Nhat", nHat);
        tr.append("s", s);
        tr.append("t", t);
    }

    /** SHA-256 over (N̂, s, t): names a parameter set in messages and shares. */
    public byte[] fingerprint() {
        Transcript tr = new Transcript("mpcwallet/ring-pedersen/fingerprint/v1");
        absorbInto(tr);
        return tr.digest();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RingPedersenParams other && nHat.equals(other.nHat) && s.equals(other.s)
                && t.equals(other.t);
    }

    @Override
    public int hashCode() {
        return nHat.hashCode() * 31 + s.hashCode();
    }

    @Override
    public String toString() {
        return "RingPedersenParams[" + nHat.bitLength() + " bits]";
    }
}
