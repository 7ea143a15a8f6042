package org.mpcwallet.crypto.protocol;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.paillier.PaillierPrivateKey;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.zk.PaillierEncLogProof;
import org.mpcwallet.crypto.zk.PaillierKeyProof;
import org.mpcwallet.crypto.zk.ProofContext;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;
import org.mpcwallet.crypto.zk.RingPedersenParams;
import org.mpcwallet.crypto.zk.VerifiedPaillierKey;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * The Paillier part shared by keygen K3/K4 and refresh R3/R4 (docs/protocol.md §4, §6): P1 makes a fresh
 * 2048-bit Paillier-Blum key, proves it (Π^mod ∥ Π^fac), encrypts its share and proves the ciphertext encrypts the
 * discrete log of Q1 (Π^log*); P2 verifies all of it against a Q1 it computed itself.
 */
public final class PaillierShareSetup {
    /** The agreed Paillier modulus size; P2 rejects any other (checklist row 1). */
    public static final int MODULUS_BITS = 2048;

    private PaillierShareSetup() {}

    /** What P1 sends and keeps. */
    public record Prover(PaillierPrivateKey secretKey, BigInteger cKey, PaillierKeyProof keyProof,
            PaillierEncLogProof encLogProof) {
        @Override
        public String toString() {
            return "PaillierShareSetup.Prover[secret redacted]";
        }
    }

    /** P1's side, proving under the device's parameters (verified with Π^prm first, see {@link #verifyDevice}). */
    public static Prover prove(ProofContext ctx, BigInteger x1, Point q1, VerifiedRingPedersen deviceParams, Env env) {
        PaillierPrivateKey sk = PaillierPrivateKey.generate(MODULUS_BITS, env.random());
        PaillierPublicKey pk = sk.publicKey();
        BigInteger rho = pk.randomUnit(env.random());
        BigInteger cKey = pk.encrypt(x1, rho, env.modPow());
        PaillierKeyProof keyProof = PaillierKeyProof.prove(ctx, deviceParams, sk, env.random(), env.modPow());
        PaillierEncLogProof logProof =
                PaillierEncLogProof.prove(ctx, deviceParams, pk, cKey, q1, x1, rho, env.random(), env.modPow());
        return new Prover(sk, cKey, keyProof, logProof);
    }

    /**
     * P2's checks, in the order of §4 K4, under the device's own ring-Pedersen parameters. Throws a ProtocolException
     * naming the failed check.
     */
    public static VerifiedPaillierKey verify(ProofContext ctx, RingPedersenParams deviceParams, BigInteger n,
            PaillierKeyProof keyProof, BigInteger cKey, PaillierEncLogProof logProof, Point q1, String step, Env env) {
        VerifiedPaillierKey key = PaillierKeyProof.verify(ctx, deviceParams, n, keyProof, MODULUS_BITS, env.modPow());
        if (!key.publicKey().isValidCiphertext(cKey)) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, step, "c_key is not a unit of Z_{N^2}");
        }
        PaillierEncLogProof.verify(ctx, deviceParams, key, cKey, q1, logProof, env.modPow());
        return key;
    }

    /**
     * P2's check of the bank's ring-Pedersen parameters (Π^prm, checklist row 17): skipped only when they are exactly
     * the parameters this device verified before ({@code known}, may be null).
     */
    public static VerifiedRingPedersen verifyRingPedersen(ProofContext ctx, ProvenRingPedersen proven,
            VerifiedRingPedersen known, Env env) {
        if (known != null && known.params().equals(proven.params())) {
            return known;
        }
        return proven.verify(ctx, env.modPow());
    }

    /**
     * P1's check of the device's ring-Pedersen parameters (Π^prm, checklist row 17): P1 proves its Paillier key and
     * c_key under them, so their hiding must hold for P1 too. With a {@code cache} (may be null), parameters that
     * passed here before are not checked again (about 0.4 s on the JVM each time otherwise).
     */
    public static VerifiedRingPedersen verifyDevice(ProofContext ctx, ProvenRingPedersen deviceParams,
            RingPedersenCache cache, Env env) {
        return cache != null ? cache.verify(ctx, deviceParams, env.modPow()) : deviceParams.verify(ctx, env.modPow());
    }

    public static ProofContext context(ProtocolId protocol, byte[] sid, Party prover) {
        return new ProofContext(protocol.label(), sid, prover);
    }
}
