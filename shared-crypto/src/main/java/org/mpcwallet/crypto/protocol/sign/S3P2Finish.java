package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.commit.Commitment;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.SingleUse;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.SchnorrProof;
import org.mpcwallet.crypto.zk.SignCiphertextProof;

/**
 * docs/protocol.md §5.1 P2 finish: open P1's commitment, verify π_DL(k1), R = k2·R1 (r ≠ 0, R.x < q), and precompute
 * everything of the online message that does not depend on the message hash: pre = c_key^t · u^N mod N² with
 * t = k2⁻¹·r·x2, the mask ρ_mask, and the first phase of the Π^aff-ec proof (§5.2).
 */
final class S3P2Finish {
    private S3P2Finish() {}

    static P2Presignature apply(ProtocolId protocol, byte[] sid, byte[] commitment, SingleUse<BigInteger> nonce,
            P2KeyShare share, byte[] body, Env env) {
        BigInteger k2 = nonce.take("S3.P2");
        SignMessages.S3 s3 = SignMessages.S3.decode(body);
        if (!Commitment.opens(commitment, protocol.label(), sid, Party.P1, s3.rho(), "R1", s3.r1().encode(),
                "pi_dl", s3.proof().encode())) {
            throw Steps.fail(FailureKind.COMMITMENT_MISMATCH, "S3.P2", "P1's decommitment does not open S1");
        }
        SchnorrProof.verify(PaillierShareSetup.context(protocol, sid, Party.P1), s3.r1(), s3.proof());
        Point bigR = s3.r1().mul(k2);
        BigInteger q = Secp256k1.N;
        BigInteger r = bigR.x().mod(q);
        if (r.signum() == 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "S3.P2", "r = 0");
        }
        if (bigR.x().compareTo(q) >= 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "S3.P2", "R.x >= q (recovery id 2/3); start a new session");
        }
        if (share.bankRingPedersen() == null) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "S3.P2",
                    "this share predates proven signing; refresh the key before signing");
        }
        BigInteger k2Inv = k2.modInverse(q);
        BigInteger t = k2Inv.multiply(r).multiply(share.x2()).mod(q);
        PaillierPublicKey pk = share.paillier();
        BigInteger mask = OnlineP2Encrypt.randomMask(env.random());
        BigInteger u = pk.randomUnit(env.random());
        BigInteger pre = pk.add(pk.multiply(share.cKey(), t, env.modPow()), pk.randomizer(u, env.modPow()));
        SignCiphertextProof.Precomputation proof = SignCiphertextProof.precompute(share.bankRingPedersen(), pk,
                share.cKey(), Point.mulG(k2), t, mask.multiply(q), env.random(), env.modPow());
        return new P2Presignature(sid, share.fingerprint(), k2Inv, mask, pre, bigR, t, u, proof);
    }
}
