package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.SignCiphertextProof;

/**
 * docs/protocol.md §5.2 O1 (P2 encrypt and prove): c3 = (1 + b·N) · pre mod N² with b = k2⁻¹·m' mod q + ρ_mask·q,
 * and the online phase of Π^aff-ec proving c3 = c_key^t·(1+N)^b·u^N with t·R2 = r·Q2, b·R2 = m'·G and t, b small.
 * Everything expensive was done in the presignature.
 */
final class OnlineP2Encrypt {
    /** ρ_mask is uniform in [0, 2^MASK_BITS) (§5.4). */
    static final int MASK_BITS = 1024;

    private OnlineP2Encrypt() {}

    static BigInteger randomMask(RandomSource rng) {
        byte[] b = new byte[MASK_BITS / 8];
        rng.nextBytes(b);
        return new BigInteger(1, b);
    }

    static byte[] apply(ProtocolId protocol, byte[] sid, int round, P2Presignature presig, P2KeyShare share,
            byte[] messageHash, Env env) {
        if (!Arrays.equals(presig.keyFingerprint(), share.fingerprint())) {
            throw Steps.fail(FailureKind.PRESIGNATURE_UNAVAILABLE, "O1",
                    "presignature belongs to another key epoch");
        }
        BigInteger m = Scalars.fromHash(messageHash);
        if (m.signum() == 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O1", "message hash is 0 mod q");
        }
        if (share.bankRingPedersen() == null) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O1",
                    "this share predates proven signing; refresh the key before signing");
        }
        presig.consume("O1");
        BigInteger q = Secp256k1.N;
        PaillierPublicKey pk = share.paillier();
        BigInteger b0 = presig.k2Inverse().multiply(m).mod(q);
        BigInteger bHigh = presig.rhoMask().multiply(q);
        BigInteger c3 = pk.add(pk.plaintextPart(b0.add(bHigh)), presig.pre());
        Point r2 = Point.mulG(presig.k2Inverse().modInverse(q));
        SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(
                PaillierShareSetup.context(protocol, sid, Party.P2), share.fingerprint(),
                share.bankRingPedersen().params(), pk, share.cKey(), c3, r2,
                share.q2().mul(presig.bigR().x().mod(q)), Point.mulG(m));
        SignCiphertextProof proof;
        try {
            proof = SignCiphertextProof.prove(st, presig.proofPrecomputation(), presig.t(), b0, bHigh, presig.u(),
                    env.modPow());
        } catch (IllegalArgumentException e) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O1", "proof response out of range; start a new session");
        }
        return new Envelope(protocol, sid, round, Party.P2,
                new SignMessages.O1(share.fingerprint(), messageHash, c3, proof).encode()).encode();
    }
}
