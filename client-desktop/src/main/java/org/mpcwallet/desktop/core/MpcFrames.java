package org.mpcwallet.desktop.core;

import java.math.BigInteger;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;

/**
 * The JSON text frames of the MPC channel (docs/mpc-channel.md "WebSocket /v1/mpc/ws") as the device's sessions use
 * them: read and written with the channel's one shared codec (shared-crypto {@code channel.FrameCodec}, strict: a
 * frame that is not what the contract says is {@code BAD_FRAME}). Binary data is base64 in {@code payload} and
 * lowercase hex elsewhere.
 */
public final class MpcFrames {
    /** Largest frame either side sends (the shared codec's limit). */
    public static final int MAX_FRAME_CHARS = FrameCodec.MAX_FRAME_BYTES;

    private MpcFrames() {}

    /** A frame from the bank. */
    public sealed interface Inbound permits Started, Msg, KeygenDone, SignDone, RefreshDone, Error, Notice {
        String session();
    }

    public record Started(String session, String kind, byte[] sid, String walletId, String requestId)
            implements Inbound {}

    public record Msg(String session, long seq, byte[] payload) implements Inbound {
        @Override
        public String toString() {
            return "Msg[" + session + ", seq " + seq + ", " + payload.length + " bytes]";
        }
    }

    public record KeygenDone(String session, String walletId, String publicKey, String address) implements Inbound {}

    public record SignDone(String session, String requestId, BigInteger r, BigInteger s, int v, String rawTransaction,
            String txHash) implements Inbound {}

    /** A finished REFRESH: the wallet's (unchanged) public key and the key's new epoch. */
    public record RefreshDone(String session, String walletId, String publicKey, long epoch) implements Inbound {}

    public record Error(String session, String code, String detail) implements Inbound {}

    /**
     * A notification outside any session (e.g. {@code cosign}: a transaction request waits for this device's
     * co-signature); a running session ignores it.
     */
    public record Notice(String type, String txRequestId, String requestId) implements Inbound {
        @Override
        public String session() {
            return null;
        }
    }

    /**
     * Parses one bank frame with the channel's shared codec (shared-crypto {@code channel.FrameCodec}, the same the
     * bank and the browser use); anything malformed is an MpcException with code BAD_FRAME naming the field.
     */
    public static Inbound parse(String text) {
        FrameCodec.Decoded<Frame.FromBank> d = FrameCodec.decodeFromBank(text);
        if (d instanceof FrameCodec.Decoded.Refused<Frame.FromBank> r) {
            throw new MpcException(r.code(), "the bank sent a malformed frame: " + r.detail());
        }
        Frame.FromBank f = ((FrameCodec.Decoded.Ok<Frame.FromBank>) d).frame();
        if (f instanceof Frame.Started s) {
            return new Started(s.session(), s.kind(), Bytes.fromHex(s.sid()), s.walletId(), s.requestId());
        }
        if (f instanceof Frame.Msg m) {
            return new Msg(m.session(), m.seq(), m.payload());
        }
        if (f instanceof Frame.KeygenDone k) {
            return new KeygenDone(k.session(), k.walletId(), k.publicKey(), k.address());
        }
        if (f instanceof Frame.SignDone sd) {
            return new SignDone(sd.session(), sd.requestId(), new BigInteger(sd.r(), 16), new BigInteger(sd.s(), 16),
                    sd.v(), sd.rawTransaction(), sd.txHash());
        }
        if (f instanceof Frame.RefreshDone rd) {
            return new RefreshDone(rd.session(), rd.walletId(), rd.publicKey(), rd.epoch());
        }
        if (f instanceof Frame.Error e) {
            return new Error(e.session(), e.code(), e.detail());
        }
        if (f instanceof Frame.Cosign c) {
            return new Notice("cosign", c.txRequestId(), c.requestId());
        }
        return new Notice("pong", null, null); // a pong belongs to no session
    }

    // ---- device → bank ------------------------------------------------------------------------------------------

    public static String keygen(String walletId) {
        return write(new Frame.Keygen(walletId));
    }

    /**
     * {@code sign}: the hash the device recomputed, as 64 lowercase hex characters, and the epoch of the device's
     * share, so the bank refuses a stale share ({@code STALE_SHARE}) before the signer runs.
     */
    public static String sign(String requestId, byte[] signingHash, int shareEpoch) {
        return write(new Frame.Sign(requestId, Bytes.toHex(signingHash), shareEpoch));
    }

    /** {@code refresh}: the OWNER's device joins a refresh an administrator authorized. */
    public static String refresh(String walletId) {
        return write(new Frame.Refresh(walletId));
    }

    public static String msg(String session, long seq, byte[] payload) {
        return write(new Frame.Msg(session, seq, payload));
    }

    public static String cancel(String session) {
        return write(new Frame.Cancel(session));
    }

    private static String write(Frame frame) {
        try {
            return FrameCodec.encode(frame);
        } catch (IllegalArgumentException e) {
            throw new MpcException("BAD_FRAME", "cannot send the frame: " + e.getMessage());
        }
    }
}
