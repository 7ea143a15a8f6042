package org.mpcwallet.crypto.device;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP2;

/**
 * The device's side of presigning and online signing (docs/protocol.md §5.1 and §5.2), as a pure state machine over
 * the channel's frames like {@link DeviceSession}'s drivers: no I/O, frames through the shared codec, failures as
 * {@link SessionFailure} values, and on a failure of ours a {@code cancel} for the bank.
 *
 * <ul>
 *   <li>{@link #presign}: S1 (the bank's {@code msg} seq 1) in, S2 (seq 2) out, S3 (seq 3) in; the result is P2's
 *       {@link P2Presignature} for the device's pool (secret and single use: the platform seals it).</li>
 *   <li>{@link #online}: {@link #open()} spends the presignature on the checked transaction's hash and returns O1
 *       (seq 1; the presignature is consumed here, so the platform deletes it from its pool before sending); the
 *       bank's SIGN {@code done} is then verified exactly as {@link SignDriver} verifies it (the r of the
 *       presignature, the signature under Q, the recovery id, the raw transaction and its hash).</li>
 * </ul>
 *
 * <p>The device asks for a session with a {@code presign} or {@code online} frame (docs/presign-online.md); a driver
 * is made for the session the bank then names in its {@code started} frame: its channel session id and, for presign,
 * the protocol sid. Inside the session the channel's rules are those of the other sessions: every {@code msg} names the
 * session and carries exactly the next {@code seq}; an {@code error} ends the session; {@code cosign} and
 * {@code pong} are not part of it.
 */
public final class OnlineSignDriver<R> {
    private final String session;
    private final Phase<R> phase;
    private long nextSeq;
    private boolean opened;
    private boolean over;

    /** One phase: what it sends first, what it makes of a bank message, and of a {@code done}. */
    private interface Phase<R> {
        byte[] first();

        byte[] onMessage(byte[] payload);

        R onDone(Frame.FromBank done);

        /** The result once a bank message ended the session without a reply (presign after S3), else null. */
        R finished();
    }

    private OnlineSignDriver(String session, long firstBankSeq, Phase<R> phase) {
        if (session == null || session.isEmpty()) {
            throw new IllegalArgumentException("the channel session id is required");
        }
        this.session = session;
        this.nextSeq = firstBankSeq;
        this.phase = phase;
    }

    /** A presign session the bank named ({@code session}) with protocol session id {@code sid} (32 bytes). */
    public static OnlineSignDriver<P2Presignature> presign(String session, byte[] sid, P2KeyShare share, Env env) {
        if (share == null || env == null) {
            throw new IllegalArgumentException("share and environment are required");
        }
        PresignP2.State start = PresignP2.start(share, sid);
        return new OnlineSignDriver<>(session, 1, new Phase<>() {
            private PresignP2.State state = start;
            private P2Presignature done;

            @Override
            public byte[] first() {
                return null; // the bank speaks first (S1)
            }

            @Override
            public byte[] onMessage(byte[] payload) {
                if (done != null) {
                    throw new DeviceSession.Failed("OUT_OF_ORDER", "a protocol message after S3");
                }
                Step<PresignP2.State, P2Presignature> step = PresignP2.next(state, payload, env);
                if (step instanceof Step.Continue<PresignP2.State, P2Presignature> c) {
                    state = c.state();
                    return c.outbound();
                }
                if (step instanceof Step.Done<PresignP2.State, P2Presignature> d) {
                    done = d.result();
                    state = null;
                    return null;
                }
                throw new DeviceSession.Failed("PROTOCOL_ABORTED",
                        ((Step.Aborted<?, ?>) step).failure().toString());
            }

            @Override
            public P2Presignature onDone(Frame.FromBank f) {
                throw new DeviceSession.Failed("BAD_FRAME", "a presign session ends with S3, not 'done'");
            }

            @Override
            public P2Presignature finished() {
                return done;
            }
        });
    }

    /**
     * An online session the bank named ({@code session}) for sign request {@code requestId}: {@code tx} is the
     * transaction the co-sign check accepted, {@code presignature} an unused one of {@code share}'s key epoch.
     */
    public static OnlineSignDriver<SignDriver.Result> online(String session, String requestId, EthTransaction tx,
            P2KeyShare share, P2Presignature presignature, Env env) {
        if (requestId == null || tx == null || share == null || presignature == null || env == null) {
            throw new IllegalArgumentException("request id, transaction, share, presignature and environment are "
                    + "required");
        }
        byte[] hash = tx.signingHash();
        BigInteger r = presignature.bigR().x().mod(Secp256k1.N);
        return new OnlineSignDriver<>(session, 2, new Phase<>() {
            private boolean sent;

            @Override
            public byte[] first() {
                OnlineP2.Result o1 = OnlineP2.encrypt(share, presignature, hash, env);
                if (o1.failure() != null) {
                    throw new DeviceSession.Failed("PROTOCOL_ABORTED", o1.failure().toString());
                }
                sent = true;
                return o1.outbound();
            }

            @Override
            public byte[] onMessage(byte[] payload) {
                throw new DeviceSession.Failed("OUT_OF_ORDER", "a protocol message in online signing; expected "
                        + "'done'");
            }

            @Override
            public SignDriver.Result onDone(Frame.FromBank f) {
                if (!(f instanceof Frame.SignDone done)) {
                    throw new DeviceSession.Failed("BAD_FRAME", "expected a SIGN 'done'");
                }
                if (!sent) {
                    throw new DeviceSession.Failed("OUT_OF_ORDER", "'done' before the device sent O1");
                }
                return SignDriver.verifyDone(done, requestId, tx, hash, r, share.publicKey());
            }

            @Override
            public SignDriver.Result finished() {
                return null;
            }
        });
    }

    public String session() {
        return session;
    }

    public boolean isOver() {
        return over;
    }

    /**
     * Starts the session on the device's side: for online signing the O1 {@code msg} to send (seq 1), for presign
     * nothing. Called once, before any frame.
     */
    public DeviceSession.Reaction<R> open() {
        if (opened || over) {
            return new DeviceSession.Reaction<>(List.of(), null, new SessionFailure("OUT_OF_ORDER",
                    "the session was already opened"));
        }
        opened = true;
        try {
            byte[] first = phase.first();
            return new DeviceSession.Reaction<>(first == null ? List.of()
                    : List.of(FrameCodec.encode(new Frame.Msg(session, 1, first))), null, null);
        } catch (DeviceSession.Failed e) {
            return fail(e);
        }
    }

    /** Feeds one frame from the bank. Before {@link #open()} and after the session is over every frame is refused. */
    public DeviceSession.Reaction<R> onFrame(String text) {
        if (over) {
            return new DeviceSession.Reaction<>(List.of(), null, new SessionFailure("UNKNOWN_SESSION",
                    "the session is already over"));
        }
        try {
            if (!opened) {
                throw new DeviceSession.Failed("OUT_OF_ORDER", "a frame before the device opened the session");
            }
            FrameCodec.Decoded<Frame.FromBank> decoded = FrameCodec.decodeFromBank(text);
            if (decoded instanceof FrameCodec.Decoded.Refused<Frame.FromBank> r) {
                throw new DeviceSession.Failed(r.code(), "the bank sent a malformed frame: " + r.detail());
            }
            Frame.FromBank f = ((FrameCodec.Decoded.Ok<Frame.FromBank>) decoded).frame();
            if (f instanceof Frame.Cosign || f instanceof Frame.Pong) {
                return new DeviceSession.Reaction<>(List.of(), null, null);
            }
            if (f instanceof Frame.Error e) {
                if (e.session() != null && !e.session().equals(session)) {
                    throw new DeviceSession.Failed("UNKNOWN_SESSION", "the bank sent an error for another session");
                }
                over = true;
                return new DeviceSession.Reaction<>(List.of(), null, new SessionFailure(e.code(), e.detail()));
            }
            if (f instanceof Frame.Started) {
                throw new DeviceSession.Failed("OUT_OF_ORDER", "a 'started' frame inside a running session");
            }
            if (f instanceof Frame.Msg m) {
                if (!session.equals(m.session())) {
                    throw new DeviceSession.Failed("UNKNOWN_SESSION", "the bank sent a frame for another session");
                }
                if (m.seq() != nextSeq) {
                    throw new DeviceSession.Failed("OUT_OF_ORDER", "expected the bank's message seq " + nextSeq
                            + ", got " + m.seq());
                }
                byte[] reply = phase.onMessage(m.payload());
                if (reply == null) {
                    nextSeq += 1;
                    R finished = phase.finished();
                    if (finished != null) {
                        over = true;
                        return new DeviceSession.Reaction<>(List.of(), finished, null);
                    }
                    return new DeviceSession.Reaction<>(List.of(), null, null);
                }
                String out = FrameCodec.encode(new Frame.Msg(session, nextSeq + 1, reply));
                nextSeq += 2;
                return new DeviceSession.Reaction<>(List.of(out), null, null);
            }
            if (!(f instanceof Frame.SignDone d) || !session.equals(d.session())) {
                throw new DeviceSession.Failed(f instanceof Frame.SignDone ? "UNKNOWN_SESSION" : "BAD_FRAME",
                        f instanceof Frame.SignDone ? "the bank sent a frame for another session"
                                : "expected a SIGN 'done'");
            }
            R result = phase.onDone(f);
            over = true;
            return new DeviceSession.Reaction<>(List.of(), result, null);
        } catch (DeviceSession.Failed e) {
            return fail(e);
        }
    }

    /** Ends the session on our side (e.g. the channel timed out): the cancel frame to send. */
    public List<String> abandon() {
        over = true;
        return List.of(FrameCodec.encode(new Frame.Cancel(session)));
    }

    private DeviceSession.Reaction<R> fail(DeviceSession.Failed e) {
        List<String> send = new ArrayList<>();
        if (!over) {
            send.add(FrameCodec.encode(new Frame.Cancel(session)));
        }
        over = true;
        return new DeviceSession.Reaction<>(send, null, new SessionFailure(e.code, e.detail));
    }
}
