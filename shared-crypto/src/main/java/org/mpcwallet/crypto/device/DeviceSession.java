package org.mpcwallet.crypto.device;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.Env;

/**
 * The device's side of one MPC-channel session (docs/redesign.md, "device"), with no I/O: {@link #opening()} is the
 * first frame to send, then each frame from the bank goes into {@link #onFrame} and the {@link Reaction} says what
 * to send and whether the session has finished (with a result or a {@link SessionFailure}). The same driver runs
 * behind the desktop's WebSocket, in the browser's worker and in tests against an in-process P1.
 *
 * <p>It checks the channel's rules: the first frame must be {@code started} of the right kind for our wallet or
 * request; every {@code msg} must name our session and carry exactly the next {@code seq} (bank messages are the odd
 * numbers 1, 3, ...; ours the even ones); an {@code error} frame ends the session with its code and detail. A
 * failure found on our side after {@code started} also sends {@code cancel} so the bank ends the session at once.
 */
public abstract sealed class DeviceSession<R> permits KeygenDriver, SignDriver, RefreshDriver {
    /** What to send, and the outcome if the session is over (exactly one of result/failure then). */
    public record Reaction<R>(List<String> send, R result, SessionFailure failure) {
        public boolean finished() {
            return result != null || failure != null;
        }
    }

    /** A failure found while handling a frame; {@link #onFrame} turns it into a {@link SessionFailure}. */
    static final class Failed extends RuntimeException {
        final String code;
        final String detail;

        Failed(String code, String detail) {
            super(code + ": " + detail, null, false, false);
            this.code = code;
            this.detail = detail;
        }
    }

    protected final Env env;
    private final String kind;
    private String session;
    private long nextSeq = 1;
    private boolean over;
    private boolean finished;

    DeviceSession(String kind, Env env) {
        this.kind = kind;
        this.env = env;
    }

    /**
     * Where a session is, for a progress bar (docs/client-desktop.md "The window"): {@code step} of {@code steps}
     * (0 before the bank started it, {@code steps} when it finished) and what the device is waiting for or doing.
     */
    public record Progress(int step, int steps, String label) {
        public double fraction() {
            return steps == 0 ? 0 : (double) step / steps;
        }
    }

    /** The frame that asks the bank to start the session. */
    public abstract String opening();

    /**
     * Where the session is: step 0 until the bank's {@code started}, then one step per round trip of the protocol
     * (a message from the bank and the device's answer), the last when the bank's {@code done} was verified.
     */
    public final Progress progress() {
        List<String> labels = stepLabels();
        int last = labels.size() - 1;
        int step;
        if (finished) {
            step = last;
        } else if (session == null) {
            step = 0;
        } else {
            step = Math.min(last - 1, 1 + (int) ((nextSeq - 1) / 2));
        }
        return new Progress(step, last, labels.get(step));
    }

    /** The channel session id once {@code started} arrived, else null. */
    public String session() {
        return session;
    }

    public boolean isOver() {
        return over;
    }

    /** Feeds one frame from the bank. After the session is over every frame is refused. */
    public final Reaction<R> onFrame(String text) {
        if (over) {
            return new Reaction<>(List.of(), null, new SessionFailure("UNKNOWN_SESSION", "the session is already over"));
        }
        try {
            FrameCodec.Decoded<Frame.FromBank> decoded = FrameCodec.decodeFromBank(text);
            if (decoded instanceof FrameCodec.Decoded.Refused<Frame.FromBank> r) {
                throw new Failed(r.code(), "the bank sent a malformed frame: " + r.detail());
            }
            Frame.FromBank f = ((FrameCodec.Decoded.Ok<Frame.FromBank>) decoded).frame();
            if (f instanceof Frame.Cosign || f instanceof Frame.Pong) {
                return new Reaction<>(List.of(), null, null); // not part of this session
            }
            if (f instanceof Frame.Error e) {
                if (e.session() != null && session != null && !e.session().equals(session)) {
                    throw new Failed("UNKNOWN_SESSION", "the bank sent an error for another session");
                }
                over = true;
                return new Reaction<>(List.of(), null, new SessionFailure(e.code(), e.detail()));
            }
            if (session == null) {
                if (!(f instanceof Frame.Started s)) {
                    throw new Failed("OUT_OF_ORDER", "expected 'started' first, got " + f.getClass().getSimpleName());
                }
                if (!s.kind().equals(kind)) {
                    throw new Failed("BAD_FRAME", "the bank started a " + s.kind() + " session, not " + kind);
                }
                checkStarted(s);
                session = s.session();
                return new Reaction<>(List.of(), null, null);
            }
            if (!session.equals(sessionOf(f))) {
                throw new Failed("UNKNOWN_SESSION", "the bank sent a frame for another session");
            }
            if (f instanceof Frame.Msg m) {
                if (m.seq() != nextSeq) {
                    throw new Failed("OUT_OF_ORDER", "expected the bank's message seq " + nextSeq + ", got " + m.seq());
                }
                byte[] reply = onMessage(m.payload());
                if (reply == null) {
                    nextSeq += 1;
                    return new Reaction<>(List.of(), null, null);
                }
                String out = FrameCodec.encode(new Frame.Msg(session, nextSeq + 1, reply));
                nextSeq += 2;
                return new Reaction<>(List.of(out), null, null);
            }
            if (f instanceof Frame.Started) {
                throw new Failed("OUT_OF_ORDER", "a second 'started' frame");
            }
            R result = onDone(f);
            over = true;
            finished = true;
            return new Reaction<>(List.of(), result, null);
        } catch (Failed e) {
            return fail(e);
        }
    }

    /** Ends the session on our side (e.g. the channel timed out): the cancel frame to send, if any. */
    public List<String> abandon() {
        over = true;
        return session == null ? List.of() : List.of(FrameCodec.encode(new Frame.Cancel(session)));
    }

    private Reaction<R> fail(Failed e) {
        List<String> send = new ArrayList<>();
        if (session != null && !over) {
            send.add(FrameCodec.encode(new Frame.Cancel(session)));
        }
        over = true;
        return new Reaction<>(send, null, new SessionFailure(e.code, e.detail));
    }

    private static String sessionOf(Frame.FromBank f) {
        if (f instanceof Frame.Msg m) {
            return m.session();
        }
        if (f instanceof Frame.Started s) {
            return s.session();
        }
        if (f instanceof Frame.KeygenDone d) {
            return d.session();
        }
        if (f instanceof Frame.SignDone d) {
            return d.session();
        }
        if (f instanceof Frame.RefreshDone d) {
            return d.session();
        }
        return null;
    }

    protected static String hex(byte[] b) {
        return Bytes.toHex(b);
    }

    /** Checks the {@code started} frame's ids and starts the protocol state machine with its sid. */
    /**
     * What each step of {@link #progress} is, as the user reads it: before {@code started}, one per round trip of the
     * protocol, waiting for the bank's {@code done}, finished.
     */
    abstract List<String> stepLabels();

    abstract void checkStarted(Frame.Started s);

    /** One protocol message from P1; returns our reply envelope, or null if there is none. */
    abstract byte[] onMessage(byte[] payload);

    /** The bank's {@code done} frame ({@link Frame.KeygenDone}, {@link Frame.SignDone} or {@link Frame.RefreshDone}). */
    abstract R onDone(Frame.FromBank done);
}
