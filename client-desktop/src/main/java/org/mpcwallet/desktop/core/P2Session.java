package org.mpcwallet.desktop.core;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.Env;

/**
 * The device's side of one MPC-channel session as a small state machine with no I/O: {@link #opening()} is the
 * first frame to send, then each frame from the bank goes into {@link #onFrame} and the {@link Reaction} says what
 * to send and whether the session has finished (with a result or a failure). The same object runs behind the Tyrus
 * socket ({@link MpcChannel}) and in tests against an in-process P1.
 *
 * <p>It checks the channel's rules: the first frame must be {@code started} of the right kind for our wallet or
 * request; every {@code msg} must name our session and carry exactly the next {@code seq} (bank messages are the odd
 * numbers 1, 3, ...; ours the even ones); an {@code error} frame ends the session with its code and detail. A
 * failure found on our side after {@code started} also sends {@code cancel} so the bank ends the session at once.
 */
public abstract sealed class P2Session<R> permits KeygenSession, SignSession, RefreshSession {
    /** What to send, and the outcome if the session is over (exactly one of result/failure then). */
    public record Reaction<R>(List<String> send, R result, MpcException failure) {
        public boolean finished() {
            return result != null || failure != null;
        }
    }

    protected final Env env;
    private final String kind;
    private String session;
    private long nextSeq = 1;
    private boolean over;

    protected P2Session(String kind, Env env) {
        this.kind = kind;
        this.env = env;
    }

    /** The frame that asks the bank to start the session. */
    public abstract String opening();

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
            return new Reaction<>(List.of(), null, new MpcException("UNKNOWN_SESSION", "the session is already over"));
        }
        try {
            MpcFrames.Inbound f = MpcFrames.parse(text);
            if (f instanceof MpcFrames.Notice) {
                return new Reaction<>(List.of(), null, null); // not part of this session
            }
            if (f instanceof MpcFrames.Error e) {
                if (e.session() != null && session != null && !e.session().equals(session)) {
                    throw new MpcException("UNKNOWN_SESSION", "the bank sent an error for another session");
                }
                over = true;
                return new Reaction<>(List.of(), null, new MpcException(e.code(), e.detail()));
            }
            if (session == null) {
                if (!(f instanceof MpcFrames.Started s)) {
                    throw new MpcException("OUT_OF_ORDER", "expected 'started' first, got " + typeOf(f));
                }
                if (!s.kind().equals(kind)) {
                    throw new MpcException("BAD_FRAME", "the bank started a " + s.kind() + " session, not " + kind);
                }
                checkStarted(s);
                session = s.session();
                return new Reaction<>(List.of(), null, null);
            }
            if (!session.equals(f.session())) {
                throw new MpcException("UNKNOWN_SESSION", "the bank sent a frame for another session");
            }
            return switch (f) {
                case MpcFrames.Msg m -> {
                    if (m.seq() != nextSeq) {
                        throw new MpcException("OUT_OF_ORDER",
                                "expected the bank's message seq " + nextSeq + ", got " + m.seq());
                    }
                    byte[] reply = onMessage(m.payload());
                    if (reply == null) {
                        nextSeq += 1;
                        yield new Reaction<>(List.of(), null, null);
                    }
                    String out = MpcFrames.msg(session, nextSeq + 1, reply);
                    nextSeq += 2;
                    yield new Reaction<>(List.of(out), null, null);
                }
                case MpcFrames.Started s -> throw new MpcException("OUT_OF_ORDER", "a second 'started' frame");
                default -> {
                    R result = onDone(f);
                    over = true;
                    yield new Reaction<>(List.of(), result, null);
                }
            };
        } catch (MpcException e) {
            return fail(e);
        }
    }

    /** Ends the session on our side (e.g. the channel timed out): the cancel frame to send, if any. */
    public List<String> abandon() {
        over = true;
        return session == null ? List.of() : List.of(MpcFrames.cancel(session));
    }

    private Reaction<R> fail(MpcException e) {
        List<String> send = new ArrayList<>();
        if (session != null && !over) {
            send.add(MpcFrames.cancel(session));
        }
        over = true;
        return new Reaction<>(send, null, e);
    }

    private static String typeOf(MpcFrames.Inbound f) {
        return f.getClass().getSimpleName();
    }

    protected static String hex(byte[] b) {
        return Bytes.toHex(b);
    }

    /** Checks the {@code started} frame's ids and starts the protocol state machine with its sid. */
    protected abstract void checkStarted(MpcFrames.Started s);

    /** One protocol message from P1; returns our reply envelope, or null if there is none. */
    protected abstract byte[] onMessage(byte[] payload);

    /**
     * The bank's {@code done} frame (a {@link MpcFrames.KeygenDone}, {@link MpcFrames.SignDone} or
     * {@link MpcFrames.RefreshDone}).
     */
    protected abstract R onDone(MpcFrames.Inbound done);
}
