package org.mpcwallet.crypto.zk;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.paillier.Primes;

/**
 * The proof bundle a Paillier key owner sends at key setup (checklist row 1, BitForge CVE-2023-33241;
 * docs/zk-proofs.md §7): Π^mod (CGGMP21 Fig. 16) and Π^fac (CGGMP21 Fig. 28) for the same modulus and context.
 * Both proofs are mandatory record components: there is no nullable field and no flag that skips one.
 *
 * <p>{@link #verify} is the only way to obtain a {@link VerifiedPaillierKey}. It checks, in this order: N has
 * exactly the agreed bit length, N is odd, N has no prime factor below 2^16 (defence in depth), Π^mod, Π^fac.
 *
 * <p>Wire form: {@code bytes(Π^mod encoding) || bytes(Π^fac encoding)}.
 */
public record PaillierKeyProof(PaillierBlumModulusProof modulusProof, NoSmallFactorProof factorProof) {
    static final String STEP = "zk/paillier-key";
    private static final int MAX_MOD_BYTES = 1 << 17;
    private static final int MAX_FAC_BYTES = 1 << 13;

    public PaillierKeyProof {
        if (modulusProof == null || factorProof == null) {
            throw new IllegalArgumentException("both Π^mod and Π^fac are required");
        }
    }

    /** Proves the key's modulus is a Paillier-Blum modulus without small factors. */
    public static PaillierKeyProof prove(ProofContext ctx, VerifiedRingPedersen verifierParams, PaillierPrivateKey key,
            RandomSource rng, ModPow mp) {
        return new PaillierKeyProof(PaillierBlumModulusProof.prove(ctx, key, rng, mp),
                NoSmallFactorProof.prove(ctx, verifierParams, key, rng, mp));
    }

    /**
     * Verifies a peer's modulus {@code n} against the agreed size {@code expectedBits} (2048 or 3072) and returns
     * it as a {@link VerifiedPaillierKey}, or throws a {@link ProtocolException} (INVALID_PARAMETER for the size,
     * parity and trial-division checks, PROOF_INVALID or INVALID_PARAMETER for Π^mod / Π^fac; culprit = prover;
     * the reason names the check).
     */
    public static VerifiedPaillierKey verify(ProofContext ctx, RingPedersenParams ownParams, BigInteger n,
            PaillierKeyProof proof, int expectedBits, ModPow mp) {
        if (ctx == null || ownParams == null || mp == null) {
            throw new IllegalArgumentException("context, parameters and ModPow are required");
        }
        if (expectedBits != 2048 && expectedBits != 3072) {
            throw new IllegalArgumentException("agreed Paillier modulus size must be 2048 or 3072 bits");
        }
        if (n == null) {
            throw ZkMath.badParameter(STEP, ctx, "modulus missing");
        }
        if (proof == null) {
            throw ZkMath.invalid(STEP, ctx, "proof missing");
        }
        if (n.signum() <= 0 || n.bitLength() != expectedBits) {
            throw ZkMath.badParameter(STEP, ctx, "modulus has " + n.bitLength() + " bits, expected exactly "
                    + expectedBits);
        }
        if (!n.testBit(0)) {
            throw ZkMath.badParameter(STEP, ctx, "modulus is even");
        }
        if (Primes.hasSmallFactor(n)) {
            throw ZkMath.badParameter(STEP, ctx, "modulus has a prime factor below 2^16");
        }
        try {
            PaillierBlumModulusProof.verify(ctx, n, proof.modulusProof, mp);
        } catch (ProtocolException e) {
            throw rethrow(ctx, "paillier-blum-modulus proof (pi-mod): ", e);
        }
        try {
            NoSmallFactorProof.verify(ctx, ownParams, n, proof.factorProof, mp);
        } catch (ProtocolException e) {
            throw rethrow(ctx, "no-small-factor proof (pi-fac): ", e);
        }
        return new VerifiedPaillierKey(new PaillierPublicKey(n));
    }

    private static ProtocolException rethrow(ProofContext ctx, String which, ProtocolException e) {
        return new ProtocolException(e.failure().kind(), STEP, ctx.prover(), which + e.failure().reason());
    }

    public byte[] encode() {
        return new WireWriter().bytes(modulusProof.encode()).bytes(factorProof.encode()).toByteArray();
    }

    /** Strict decoding of both parts (each strict itself), nothing after. */
    public static PaillierKeyProof decode(byte[] data) {
        if (data == null) {
            throw ZkMath.malformed(STEP, "proof missing");
        }
        WireReader r = new WireReader(data, STEP);
        byte[] mod = r.bytes("pi-mod", MAX_MOD_BYTES);
        byte[] fac = r.bytes("pi-fac", MAX_FAC_BYTES);
        r.end();
        return new PaillierKeyProof(PaillierBlumModulusProof.decode(mod), NoSmallFactorProof.decode(fac));
    }
}
