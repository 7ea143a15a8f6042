package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.paillier.Primes;

/**
 * The other party's ring-Pedersen parameters after Π^prm verified (docs/zk-proofs.md §8): a prover commits under
 * parameters of this type only, so its commitments hide (s ∈ ⟨t⟩). Created by {@link ProvenRingPedersen#verify}, or
 * re-created from authenticated storage (the share vault) where they were kept after that check.
 */
public final class VerifiedRingPedersen {
    private final RingPedersenParams params;

    VerifiedRingPedersen(RingPedersenParams params) {
        if (params == null) {
            throw new IllegalArgumentException("parameters are required");
        }
        this.params = params;
    }

    /**
     * Re-creates parameters that passed {@link ProvenRingPedersen#verify} earlier and were stored under
     * authenticated encryption (the share vault). The cheap checks are re-run; the proof is not. Never call this on
     * values that arrive from a peer.
     */
    public static VerifiedRingPedersen fromAuthenticatedStorage(BigInteger nHat, BigInteger s, BigInteger t) {
        if (nHat == null || nHat.bitLength() != RingPedersenSetup.MODULUS_BITS || Primes.hasSmallFactor(nHat)) {
            throw new IllegalArgumentException("stored ring-Pedersen modulus has the wrong size or a small factor");
        }
        return new VerifiedRingPedersen(RingPedersenParams.of(nHat, s, t));
    }

    public RingPedersenParams params() {
        return params;
    }

    public BigInteger nHat() {
        return params.nHat();
    }

    public BigInteger s() {
        return params.s();
    }

    public BigInteger t() {
        return params.t();
    }

    public byte[] fingerprint() {
        return params.fingerprint();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedRingPedersen other && params.equals(other.params);
    }

    @Override
    public int hashCode() {
        return params.hashCode();
    }

    @Override
    public String toString() {
        return "VerifiedRingPedersen[" + params.nHat().bitLength() + " bits]";
    }
}
