package org.mpcwallet.crypto.protocol.sign;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.paillier.PaillierPublicKey;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.PaillierShareSetup;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.zk.SignCiphertextProof;

/**
 * docs/protocol.md §5.2 O2 (P1 finish), steps 2-9 (step 1, consuming the presignature, and the lock check of step 2
 * are the caller's and happen before this runs): the presignature's and P2's key epoch, the message hash, the share's
 * ring-Pedersen parameters, m' ≠ 0, ciphertext validity and P2's Π^aff-ec proof (steps 2-8) — all before anything is
 * decrypted — then step 9: signed decryption, canonical low-s with recovery id, verification against Q.
 * Any failure after the decryption (the signature does not verify, s = 0, any exception) is KEY_COMPROMISE_RISK:
 * with the proof verified it can only mean a bank-side fault or a broken proof, and the key is retired (§6.4).
 */
final class OnlineP1Finish {
    private OnlineP1Finish() {}

    static EcdsaSignature apply(ProtocolId protocol, byte[] sid, P1KeyShare share, P1Presignature presig,
            byte[] expectedHash, byte[] body, Env env) {
        if (!Arrays.equals(presig.keyFingerprint(), share.fingerprint())) {
            throw Steps.fail(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", "presignature belongs to another key epoch");
        }
        SignMessages.O1 o1 = SignMessages.O1.decode(body);
        if (!Bytes.constantTimeEquals(o1.keyFingerprint(), share.fingerprint())) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "O2",
                    "P2 signs with another key epoch than the bank's current one (stale or newer share)");
        }
        if (!Bytes.constantTimeEquals(o1.messageHash(), expectedHash)) {
            throw Steps.fail(FailureKind.INCONSISTENT_STATE, "O2",
                    "P2 signed a different message hash than the one P1 approved");
        }
        if (share.ringPedersen() == null) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O2",
                    "this key predates proven signing; refresh it before signing");
        }
        BigInteger q = Secp256k1.N;
        BigInteger m = Scalars.fromHash(expectedHash);
        if (m.signum() == 0) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O2", "message hash is 0 mod q");
        }
        PaillierPublicKey pk = share.paillierPublicKey();
        if (!pk.isValidCiphertext(o1.c3())) {
            throw Steps.fail(FailureKind.INVALID_PARAMETER, "O2", "c3 is not a unit of Z_{N^2}");
        }
        SignCiphertextProof.Statement st = new SignCiphertextProof.Statement(
                PaillierShareSetup.context(protocol, sid, Party.P2), share.fingerprint(), share.ringPedersen(), pk,
                share.cKey(), o1.c3(), presig.r2(), share.q2().mul(presig.r()), Point.mulG(m));
        SignCiphertextProof.verify(st, o1.proof(), env.modPow(), share.paillier());
        // From here on P1 has decrypted: nothing may fail without retiring the key (CVE-2023-33242).
        try {
            BigInteger sPrime = share.decryptSigned(o1.c3(), env.modPow());
            BigInteger s = presig.k1().modInverse(q).multiply(sPrime.mod(q)).mod(q);
            if (s.signum() == 0) {
                throw compromise("s = 0 after decryption");
            }
            EcdsaSignature sig = Ecdsa.canonical(presig.r(), s, presig.bigR());
            if (sig == null || !Ecdsa.verify(expectedHash, sig, share.publicKey())) {
                throw compromise("the joint signature does not verify under Q");
            }
            return sig;
        } catch (org.mpcwallet.crypto.core.ProtocolException e) {
            if (e.failure().kind() == FailureKind.KEY_COMPROMISE_RISK) {
                throw e;
            }
            throw compromise("failure after decryption (" + e.failure().reason() + ")");
        } catch (RuntimeException e) {
            throw compromise("failure after decryption (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static RuntimeException compromise(String reason) {
        return Steps.fail(FailureKind.KEY_COMPROMISE_RISK, "O2", reason + "; the key is retired");
    }
}
