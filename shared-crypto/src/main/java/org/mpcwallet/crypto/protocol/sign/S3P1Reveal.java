package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.SchnorrProof;

/**
 * docs/protocol.md §5.1 S3 (P1 reveal): verify π_DL(k2), R = k1·R2 (r = R.x mod q must be non-zero and R.x < q, so
 * nothing about R can fail after decryption), open the commitment; P1's presignature keeps R2 for P2's proof.
 */
final class S3P1Reveal {
    private S3P1Reveal() {}

    record Output(P1Presignature presignature, byte[] outbound) {}

    static Output apply(ProtocolId protocol, byte[] sid, S1P1Commit.Output mine, byte[] keyFingerprint,
            byte[] body) {
        BigInteger k1 = mine.k1().take("S3");
        SignMessages.S2 s2 = SignMessages.S2.decode(body);
        SchnorrProof.verify(PaillierShareSetup.context(protocol, sid, Party.P2), s2.r2(), s2.proof());
        Point bigR = s2.r2().mul(k1);
        if (bigR.x().mod(Secp256k1.N).signum() == 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "S3", "r = 0");
        }
        if (bigR.x().compareTo(Secp256k1.N) >= 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "S3", "R.x >= q (recovery id 2/3); start a new session");
        }
        byte[] out = new Envelope(protocol, sid, 3, Party.P1,
                new SignMessages.S3(mine.r1(), mine.proof(), mine.rho()).encode()).encode();
        return new Output(new P1Presignature(sid, keyFingerprint, k1, bigR, s2.r2()), out);
    }
}
