package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.paillier.Primes;

/**
 * A peer's Paillier public key whose modulus passed every check of {@link PaillierKeyProof#verify}: exactly the
 * agreed bit length, odd, no prime factor below 2^16, Π^mod (Paillier-Blum: two primes ≡ 3 mod 4, gcd(N, φ(N)) =
 * 1) and Π^fac (both factors above about 2^255). Checklist row 1 as a type: the constructor is package-private and
 * its only caller is {@link PaillierKeyProof#verify}, so code that holds a {@code VerifiedPaillierKey} for a peer's
 * key cannot have skipped the proofs. The one other way in, {@link #fromAuthenticatedStorage}, restores a key that
 * was verified before it was sealed in the user's authenticated share vault.
 */
public final class VerifiedPaillierKey {
    private final PaillierPublicKey publicKey;

    VerifiedPaillierKey(PaillierPublicKey publicKey) {
        if (publicKey == null) {
            throw new IllegalArgumentException("public key is required");
        }
        this.publicKey = publicKey;
    }

    /**
     * Re-creates a key that passed {@link PaillierKeyProof#verify} earlier and was stored under authenticated
     * encryption (the user's share vault, AES-GCM). Only the share decoder calls this; the vault's tag is what
     * vouches for the bytes (whoever can forge a vault entry knows the password and so the share itself). The
     * cheap checks of {@link PaillierKeyProof#verify} are re-run (exact size, odd, no prime factor below 2^16); the
     * proofs are not. Never call this on bytes that arrive from a peer: those go through
     * {@link PaillierKeyProof#verify}.
     */
    public static VerifiedPaillierKey fromAuthenticatedStorage(BigInteger n, int expectedBits) {
        if (n == null || n.signum() <= 0 || n.bitLength() != expectedBits || !n.testBit(0)) {
            throw new IllegalArgumentException("stored Paillier modulus has the wrong size");
        }
        if (expectedBits != 2048 && expectedBits != 3072) {
            throw new IllegalArgumentException("agreed Paillier modulus size must be 2048 or 3072 bits");
        }
        if (Primes.hasSmallFactor(n)) {
            throw new IllegalArgumentException("stored Paillier modulus has a small factor");
        }
        return new VerifiedPaillierKey(new PaillierPublicKey(n));
    }

    public PaillierPublicKey publicKey() {
        return publicKey;
    }

    public BigInteger n() {
        return publicKey.n();
    }

    public int bitLength() {
        return publicKey.bitLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedPaillierKey other && publicKey.equals(other.publicKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "VerifiedPaillierKey[" + publicKey.bitLength() + " bits]";
    }
}
