package org.mpcwallet.crypto.device;

import java.util.List;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.refresh.RefreshP2;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The device's part in a key refresh an administrator authorized (docs/mpc-channel.md, docs/protocol.md §6): R1 in,
 * R2 out, R3 in; R3 completes the new share (same Q, epoch + 1), which is handed to the {@link ShareSink}
 * (sealed to {@code <walletId>.vault.next}) <b>before</b> R4 is returned for sending. P1 stores its new share only
 * after R4, so when the bank has moved to the new epoch the device's new share is already on disk. If sealing
 * fails, R4 is never sent and the session is cancelled: both parties stay at the old epoch. Finally {@code done}
 * must name our wallet, the share's unchanged public key and the new share's epoch.
 */
public final class RefreshDriver extends DeviceSession<RefreshDriver.Result> {
    /** A finished refresh: the unchanged public key (04 || x || y hex), the new epoch and the new share. */
    public record Result(String walletId, String publicKeyHex, int epoch, P2KeyShare share) {
        @Override
        public String toString() {
            return "RefreshDriver.Result[" + walletId + ", epoch " + epoch + ", share redacted]";
        }
    }

    private final String walletId;
    private final ProvenRingPedersen deviceParams;
    private final P2KeyShare current;
    private final ShareSink sink;
    private RefreshP2.State state;
    private P2KeyShare refreshed;

    /** {@code deviceParams}: this device's own proven ring-Pedersen parameters (the platform makes them once per device). */
    public RefreshDriver(String walletId, P2KeyShare current, ShareSink sink,
            ProvenRingPedersen deviceParams, Env env) {
        super("REFRESH", env);
        if (walletId == null || current == null || sink == null || deviceParams == null) {
            throw new IllegalArgumentException("wallet id, current share, share sink and device parameters are "
                    + "required");
        }
        this.deviceParams = deviceParams;
        this.walletId = walletId;
        this.current = current;
        this.sink = sink;
    }

    private static final List<String> STEPS = List.of("Asking the bank to start",
            "Exchanging commitments and key proofs (R1, R2)",
            "Checking the bank's proofs, sealing your new share (R3, R4)",
            "Waiting for the bank to confirm the new share",
            "Key refreshed");

    @Override
    List<String> stepLabels() {
        return STEPS;
    }

    @Override
    public String opening() {
        return FrameCodec.encode(new Frame.Refresh(walletId));
    }

    @Override
    void checkStarted(Frame.Started s) {
        if (!walletId.equals(s.walletId())) {
            throw new Failed("BAD_FRAME", "the bank started a refresh for another wallet");
        }
        state = RefreshP2.start(current, Bytes.fromHex(s.sid()), deviceParams);
    }

    @Override
    byte[] onMessage(byte[] payload) {
        if (refreshed != null) {
            throw new Failed("OUT_OF_ORDER", "a protocol message after R4; expected 'done'");
        }
        Step<RefreshP2.State, P2KeyShare> step = RefreshP2.next(state, payload, env);
        if (step instanceof Step.Continue<RefreshP2.State, P2KeyShare> c) {
            state = c.state();
            return c.outbound();
        }
        if (step instanceof Step.Done<RefreshP2.State, P2KeyShare> d) {
            if (d.outbound() == null) {
                throw new Failed("PROTOCOL_ABORTED", "refresh finished without an R4 message");
            }
            P2KeyShare next = d.result();
            if (!next.publicKey().equals(current.publicKey()) || next.epoch() != current.epoch() + 1) {
                throw new Failed("VERIFY_FAILED", "the refreshed share does not keep Q at the next epoch");
            }
            try {
                sink.seal(next);
            } catch (RuntimeException e) {
                throw new Failed("SHARE_NOT_SAVED", "the new share could not be stored, R4 not sent: "
                        + e.getMessage());
            }
            refreshed = next;
            state = null;
            return d.outbound();
        }
        throw new Failed("PROTOCOL_ABORTED", ((Step.Aborted<?, ?>) step).failure().toString());
    }

    @Override
    Result onDone(Frame.FromBank f) {
        if (!(f instanceof Frame.RefreshDone done)) {
            throw new Failed("BAD_FRAME", "expected a REFRESH 'done'");
        }
        if (refreshed == null) {
            throw new Failed("OUT_OF_ORDER", "'done' before the device sent R4");
        }
        if (!walletId.equals(done.walletId())) {
            throw new Failed("VERIFY_FAILED", "'done' names another wallet");
        }
        String q = Bytes.toHex(refreshed.publicKey().encodeUncompressed());
        if (!q.equals(done.publicKey())) {
            throw new Failed("VERIFY_FAILED", "the bank's public key differs from the Q of the device's share");
        }
        if (done.epoch() != refreshed.epoch()) {
            throw new Failed("VERIFY_FAILED", "the bank reports epoch " + done.epoch()
                    + " but the device's new share is epoch " + refreshed.epoch());
        }
        return new Result(walletId, q, refreshed.epoch(), refreshed);
    }
}
