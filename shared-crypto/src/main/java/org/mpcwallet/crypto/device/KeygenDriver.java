package org.mpcwallet.crypto.device;

import java.util.List;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The device's keygen over the MPC channel (docs/mpc-channel.md "Keygen", docs/protocol.md §4): K1 in, K2 out, K3
 * in; K3 completes P2's share, which is handed to the {@link ShareSink} (sealed to disk) <b>before</b> K4 is
 * returned for sending. If sealing fails, K4 is never sent and the session is cancelled, so the bank cannot mark the
 * wallet ACTIVE while the device has no share. Finally {@code done} must name our wallet, a public key equal to the
 * share's Q and the address derived from it.
 */
public final class KeygenDriver extends DeviceSession<KeygenDriver.Result> {
    /** A finished keygen: the wallet's public key (04 || x || y hex), its EIP-55 address and P2's share. */
    public record Result(String walletId, String publicKeyHex, String address, P2KeyShare share) {
        @Override
        public String toString() {
            return "KeygenDriver.Result[" + walletId + ", " + address + ", share redacted]";
        }
    }

    private final String walletId;
    private final ShareSink sink;
    private final ProvenRingPedersen deviceParams;
    private KeygenP2.State state;
    private P2KeyShare share;

    /** {@code deviceParams}: this device's own proven ring-Pedersen parameters (the platform makes them once per device). */
    public KeygenDriver(String walletId, ShareSink sink, ProvenRingPedersen deviceParams, Env env) {
        super("KEYGEN", env);
        if (walletId == null || sink == null || deviceParams == null) {
            throw new IllegalArgumentException("wallet id, share sink and device parameters are required");
        }
        this.deviceParams = deviceParams;
        this.walletId = walletId;
        this.sink = sink;
    }

    private static final List<String> STEPS = List.of("Asking the bank to start",
            "Exchanging commitments and key proofs (K1, K2)",
            "Checking the bank's key and proofs, sealing your share (K3, K4)",
            "Waiting for the bank to confirm the key",
            "Key created");

    @Override
    List<String> stepLabels() {
        return STEPS;
    }

    @Override
    public String opening() {
        return FrameCodec.encode(new Frame.Keygen(walletId));
    }

    @Override
    void checkStarted(Frame.Started s) {
        if (!walletId.equals(s.walletId())) {
            throw new Failed("BAD_FRAME", "the bank started keygen for another wallet");
        }
        state = KeygenP2.start(Bytes.fromHex(s.sid()), deviceParams);
    }

    @Override
    byte[] onMessage(byte[] payload) {
        if (share != null) {
            throw new Failed("OUT_OF_ORDER", "a protocol message after K4; expected 'done'");
        }
        Step<KeygenP2.State, P2KeyShare> step = KeygenP2.next(state, payload, env);
        if (step instanceof Step.Continue<KeygenP2.State, P2KeyShare> c) {
            state = c.state();
            return c.outbound();
        }
        if (step instanceof Step.Done<KeygenP2.State, P2KeyShare> d) {
            if (d.outbound() == null) {
                throw new Failed("PROTOCOL_ABORTED", "keygen finished without a K4 message");
            }
            try {
                sink.seal(d.result());
            } catch (RuntimeException e) {
                throw new Failed("SHARE_NOT_SAVED", "the share could not be stored, K4 not sent: "
                        + e.getMessage());
            }
            share = d.result();
            state = null;
            return d.outbound();
        }
        throw new Failed("PROTOCOL_ABORTED", ((Step.Aborted<?, ?>) step).failure().toString());
    }

    @Override
    Result onDone(Frame.FromBank f) {
        if (!(f instanceof Frame.KeygenDone done)) {
            throw new Failed("BAD_FRAME", "expected a KEYGEN 'done'");
        }
        if (share == null) {
            throw new Failed("OUT_OF_ORDER", "'done' before the device sent K4");
        }
        if (!walletId.equals(done.walletId())) {
            throw new Failed("VERIFY_FAILED", "'done' names another wallet");
        }
        byte[] q = share.publicKey().encodeUncompressed();
        if (!Bytes.toHex(q).equals(done.publicKey())) {
            throw new Failed("VERIFY_FAILED", "the bank's public key differs from the Q of the device's share");
        }
        EthAddress mine = EthAddress.fromPublicKey(q);
        EthAddress theirs;
        try {
            theirs = EthAddress.parse(done.address());
        } catch (IllegalArgumentException e) {
            throw new Failed("VERIFY_FAILED", "the bank's address is invalid: " + e.getMessage());
        }
        if (!mine.equals(theirs)) {
            throw new Failed("VERIFY_FAILED", "the bank's address is not the address of the public key");
        }
        return new Result(walletId, done.publicKey(), mine.toChecksumHex(), share);
    }
}
