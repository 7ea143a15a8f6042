package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Steps;

/**
 * docs/protocol.md §5.2 O1 (P2 encrypt): c3 = (1 + (k2⁻¹·m' + ρ_mask·q)·N) · pre mod N². One modular
 * multiplication: everything expensive was done in the presignature.
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
            byte[] messageHash) {
        if (!Arrays.equals(presig.keyFingerprint(), share.fingerprint())) {
            throw Steps.fail(FailureKind.PRESIGNATURE_UNAVAILABLE, "O1",
                    "presignature belongs to another key epoch");
        }
        BigInteger m = Scalars.fromHash(messageHash);
        presig.consume("O1");
        PaillierPublicKey pk = share.paillier();
        BigInteger plaintext =
                presig.k2Inverse().multiply(m).mod(Secp256k1.N).add(presig.rhoMask().multiply(Secp256k1.N));
        BigInteger c3 = pk.add(pk.plaintextPart(plaintext), presig.pre());
        return new Envelope(protocol, sid, round, Party.P2, new SignMessages.O1(messageHash, c3).encode()).encode();
    }
}
