package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.Steps;

/**
 * docs/protocol.md §5.2 O2 (P1 finish), steps 2-7 (step 1, consuming the presignature, is the caller's and happens
 * before this runs): fingerprint, message hash, ciphertext validity, signed decryption, canonical low-s with
 * recovery id, verification against Q. A signature that fails verification is KEY_COMPROMISE_RISK.
 */
final class OnlineP1Finish {
    private OnlineP1Finish() {}

    static EcdsaSignature apply(P1KeyShare share, P1Presignature presig, byte[] expectedHash, byte[] body, Env env) {
        if (!Arrays.equals(presig.keyFingerprint(), share.fingerprint())) {
            throw Steps.fail(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", "presignature belongs to another key epoch");
        }
        SignMessages.O1 o1 = SignMessages.O1.decode(body);
        if (!Bytes.constantTimeEquals(o1.messageHash(), expectedHash)) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "O2",
                    "P2 signed a different message hash than the one P1 approved");
        }
        PaillierPublicKey pk = share.paillierPublicKey();
        if (!pk.isValidCiphertext(o1.c3())) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O2", "c3 is not a unit of Z_{N^2}");
        }
        BigInteger q = Secp256k1.N;
        BigInteger sPrime = share.decryptSigned(o1.c3(), env.modPow());
        BigInteger s = presig.k1().modInverse(q).multiply(sPrime.mod(q)).mod(q);
        if (s.signum() == 0) {
            throw compromise("s = 0 after decryption");
        }
        EcdsaSignature sig = Ecdsa.canonical(presig.r(), s, presig.bigR());
        if (sig == null) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O2", "R.x >= q (recovery id 2/3), retry with a new nonce");
        }
        if (!Ecdsa.verify(expectedHash, sig, share.publicKey())) {
            throw compromise("the joint signature does not verify under Q");
        }
        return sig;
    }

    private static RuntimeException compromise(String reason) {
        return Steps.fail(FailureKind.KEY_COMPROMISE_RISK, "O2", reason + "; the key is locked");
    }
}
