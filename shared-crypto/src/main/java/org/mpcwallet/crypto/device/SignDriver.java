package org.mpcwallet.crypto.device;

import java.math.BigInteger;
import java.util.List;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.SignP2;

/**
 * The device's co-signature over the MPC channel (docs/mpc-channel.md "Signing", docs/protocol.md §5.3): it sends
 * {@code sign} with the hash it computed itself from the checked transaction and its share's epoch (a stale share
 * is refused by the bank with {@code STALE_SHARE} before anything runs), answers S1 with S2 and S3 with round
 * 4, then verifies the bank's {@code done}: the signature must verify under the share's Q on that hash, its r must
 * be the r P2 computed, and {@code rawTransaction}/{@code txHash} must be exactly the transaction signed with it.
 */
public final class SignDriver extends DeviceSession<SignDriver.Result> {
    /** A verified signature and the signed transaction (0x hex) with its hash. */
    public record Result(String requestId, EcdsaSignature signature, String rawTransaction, String txHash) {}

    private final String requestId;
    private final EthTransaction tx;
    private final byte[] hash;
    private final P2KeyShare share;
    private SignP2.State state;
    private BigInteger r;

    public SignDriver(String requestId, EthTransaction tx, P2KeyShare share, Env env) {
        super("SIGN", env);
        if (requestId == null || tx == null || share == null) {
            throw new IllegalArgumentException("request id, transaction and share are required");
        }
        this.requestId = requestId;
        this.tx = tx;
        this.hash = tx.signingHash();
        this.share = share;
    }

    private static final List<String> STEPS = List.of("Asking the bank to start",
            "Exchanging nonces (S1, S2)",
            "Computing your part of the signature (S3)",
            "Waiting for the bank's signature",
            "Signature verified");

    @Override
    List<String> stepLabels() {
        return STEPS;
    }

    @Override
    public String opening() {
        return FrameCodec.encode(new Frame.Sign(requestId, Bytes.toHex(hash), share.epoch()));
    }

    @Override
    void checkStarted(Frame.Started s) {
        if (!requestId.equals(s.requestId())) {
            throw new Failed("BAD_FRAME", "the bank started signing for another request");
        }
        state = SignP2.start(share, Bytes.fromHex(s.sid()), hash);
    }

    @Override
    byte[] onMessage(byte[] payload) {
        if (r != null) {
            throw new Failed("OUT_OF_ORDER", "a protocol message after round 4; expected 'done'");
        }
        Step<SignP2.State, SignP2.Sent> step = SignP2.next(state, payload, env);
        if (step instanceof Step.Continue<SignP2.State, SignP2.Sent> c) {
            state = c.state();
            return c.outbound();
        }
        if (step instanceof Step.Done<SignP2.State, SignP2.Sent> d) {
            r = d.result().r();
            state = null;
            return d.outbound();
        }
        throw new Failed("PROTOCOL_ABORTED", ((Step.Aborted<?, ?>) step).failure().toString());
    }

    @Override
    Result onDone(Frame.FromBank f) {
        if (!(f instanceof Frame.SignDone done)) {
            throw new Failed("BAD_FRAME", "expected a SIGN 'done'");
        }
        if (r == null) {
            throw new Failed("OUT_OF_ORDER", "'done' before the device sent round 4");
        }
        return verifyDone(done, requestId, tx, hash, r, share.publicKey());
    }

    /**
     * The checks of a SIGN (or online) {@code done}: it names our request; the signature is canonical, its r is the
     * nonce this device agreed to, it verifies under {@code q} on {@code hash} and its recovery id recovers
     * {@code q}; the raw transaction and its hash are exactly {@code tx} signed with it.
     */
    static Result verifyDone(Frame.SignDone done, String requestId, EthTransaction tx, byte[] hash, BigInteger r,
            Point q) {
        if (!requestId.equals(done.requestId())) {
            throw new Failed("VERIFY_FAILED", "'done' names another request");
        }
        EcdsaSignature sig;
        try {
            sig = new EcdsaSignature(new BigInteger(done.r(), 16), new BigInteger(done.s(), 16), done.v());
        } catch (IllegalArgumentException e) {
            throw new Failed("VERIFY_FAILED", "the bank's signature is not canonical: " + e.getMessage());
        }
        if (!sig.r().equals(r)) {
            throw new Failed("VERIFY_FAILED", "the signature's r is not the nonce this device agreed to");
        }
        if (!Ecdsa.verify(hash, sig, q)) {
            throw new Failed("VERIFY_FAILED", "the signature does not verify under the wallet's public key");
        }
        if (!recoversTo(sig, hash, q)) {
            throw new Failed("VERIFY_FAILED", "the signature's recovery id (v) does not recover the wallet's key");
        }
        String raw = "0x" + Bytes.toHex(tx.encodeSigned(sig));
        if (!raw.equalsIgnoreCase(done.rawTransaction())) {
            throw new Failed("VERIFY_FAILED", "the bank's raw transaction is not the transaction signed");
        }
        String txHash = "0x" + Bytes.toHex(Keccak256.hash(tx.encodeSigned(sig)));
        if (!txHash.equalsIgnoreCase(done.txHash())) {
            throw new Failed("VERIFY_FAILED", "the bank's transaction hash is not the hash of the transaction");
        }
        return new Result(requestId, sig, raw, txHash);
    }

    /** Whether (r, s, v) recovers Q: Q' = r^-1 (s·R - e·G) with R the point of x = r and y parity v. */
    private static boolean recoversTo(EcdsaSignature sig, byte[] hash, Point q) {
        try {
            byte[] compressed = new byte[33];
            compressed[0] = (byte) (sig.recoveryId() == 1 ? 3 : 2);
            System.arraycopy(Bytes.fixedWidth(sig.r(), 32), 0, compressed, 1, 32);
            Point bigR = Point.decode(compressed);
            BigInteger e = Scalars.fromHash(hash).mod(Secp256k1.N);
            Point sR = bigR.mul(sig.s());
            Point sum = e.signum() == 0 ? sR : sR.subtract(Point.mulG(e));
            return sum.mul(sig.r().modInverse(Secp256k1.N)).equals(q);
        } catch (RuntimeException ex) {
            return false;
        }
    }
}
