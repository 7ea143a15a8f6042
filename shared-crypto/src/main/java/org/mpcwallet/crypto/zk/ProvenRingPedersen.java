package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;

/**
 * A party's own ring-Pedersen parameters with their Π^prm proof (docs/zk-proofs.md §8): public, made once by
 * {@link RingPedersenSetup#prove}, stored by the owner and sent to the other party, who verifies it once
 * ({@link #verify}). Wire form: {@code unsigned(N̂) || unsigned(s) || unsigned(t) || bytes(Π^prm)}.
 */
public record ProvenRingPedersen(RingPedersenParams params, RingPedersenProof proof) {
    static final String STEP = "zk/ring-pedersen";
    private static final int ELEMENT_BYTES = RingPedersenSetup.MODULUS_BITS / 8;
    private static final int MAX_PROOF_BYTES = 80 * 1024;

    public ProvenRingPedersen {
        if (params == null || proof == null) {
            throw new IllegalArgumentException("parameters and proof are required");
        }
    }

    /** Verifies Π^prm (checklist row 17) and returns the parameters as a prover may use them. */
    public VerifiedRingPedersen verify(ProofContext ctx, ModPow mp) {
        return RingPedersenProof.verify(ctx, params, proof, mp);
    }

    public BigInteger nHat() {
        return params.nHat();
    }

    public byte[] fingerprint() {
        return params.fingerprint();
    }

    public byte[] encode() {
        return new WireWriter().unsigned(params.nHat()).unsigned(params.s()).unsigned(params.t())
                .bytes(proof.encode()).toByteArray();
    }

    /** Strict decoding; the cheap parameter checks of {@link RingPedersenParams#of} apply (MALFORMED otherwise). */
    public static ProvenRingPedersen decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "ring-Pedersen parameters missing");
        }
        WireReader r = new WireReader(data, STEP);
        BigInteger nHat = r.unsigned("Nhat", ELEMENT_BYTES);
        BigInteger s = r.unsigned("s", ELEMENT_BYTES);
        BigInteger t = r.unsigned("t", ELEMENT_BYTES);
        byte[] proof = r.bytes("Π^prm", MAX_PROOF_BYTES);
        r.end();
        try {
            return new ProvenRingPedersen(RingPedersenParams.of(nHat, s, t), RingPedersenProof.decode(proof));
        } catch (IllegalArgumentException e) {
            throw ZkMath.malformed(STEP, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ProvenRingPedersen[" + params + "]";
    }
}
