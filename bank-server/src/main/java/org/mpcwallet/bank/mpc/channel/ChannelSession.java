package org.mpcwallet.bank.mpc.channel;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.mpcwallet.bank.mpc.channel.ChannelAction.CallSigner;
import org.mpcwallet.bank.mpc.channel.ChannelAction.Close;
import org.mpcwallet.bank.mpc.channel.ChannelAction.OpenSession;
import org.mpcwallet.bank.mpc.channel.ChannelAction.Send;
import org.mpcwallet.bank.mpc.channel.ChannelInput.Closed;
import org.mpcwallet.bank.mpc.channel.ChannelInput.CutOff;
import org.mpcwallet.bank.mpc.channel.ChannelInput.Failed;
import org.mpcwallet.bank.mpc.channel.ChannelInput.FrameText;
import org.mpcwallet.bank.mpc.channel.ChannelInput.Opened;
import org.mpcwallet.bank.mpc.channel.ChannelInput.SignerReplied;
import org.mpcwallet.bank.mpc.channel.ChannelInput.StartRefused;
import org.mpcwallet.bank.mpc.channel.ChannelInput.Tick;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;

/**
 * The bank's side of one device connection as a pure transition (docs/mpc-channel.md, docs/redesign.md step 3):
 * {@code next(state, input) -> (state, actions)}. It keeps the channel's rules — a frame names a running session of
 * this connection, {@code seq} is exactly the next, a connection runs at most {@link Rules#maxSessions()} sessions,
 * a session that misses its deadline or its step deadline expires, an error ends the session it names, a closed or
 * cut-off connection ends them all — and says what must happen as values ({@link ChannelAction}). It does no I/O:
 * the runner ({@code mpc.app.MpcChannel}) performs the actions in order (database, signer, sending) and feeds their
 * results back as inputs.
 *
 * <p>Why one class of this size: it is one state machine, and its rules are read together — how a frame, a signer
 * reply, a tick or a closed connection moves each kind of session (keygen, sign, refresh, presign, online) to its
 * next state or its end; split by kind, the shared rules (sequence, deadlines, ending a session) would be repeated or
 * hidden behind another indirection.
 */
public final class ChannelSession {

    /** The limits the transitions apply (from the signer and limits configuration). */
    public record Rules(int maxSessions, int sessionTimeoutSeconds, int stepTimeoutSeconds, int idleSeconds) {
    }

    /** A connection's sessions (insertion order) and whether it is closed. Immutable. */
    public record State(Map<UUID, RunningSession> sessions, boolean closed) {
        public State {
            sessions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
        }

        public static State open() {
            return new State(Map.of(), false);
        }

        State with(RunningSession r) {
            Map<UUID, RunningSession> m = new LinkedHashMap<>(sessions);
            m.put(r.id(), r);
            return new State(m, closed);
        }

        State without(UUID id) {
            Map<UUID, RunningSession> m = new LinkedHashMap<>(sessions);
            m.remove(id);
            return new State(m, closed);
        }

        State closing() {
            return new State(sessions, true);
        }
    }

    /** The new state and the actions to perform, in order. */
    public record Step(State state, List<ChannelAction> actions) {
        public Step {
            actions = List.copyOf(actions);
        }
    }

    private final Rules rules;

    public ChannelSession(Rules rules) {
        this.rules = rules;
    }

    public Rules rules() {
        return rules;
    }

    /** The transition. */
    public Step next(State state, ChannelInput input) {
        Builder b = new Builder(state);
        if (input instanceof FrameText f) {
            if (!state.closed()) {
                onFrame(b, f.text());
            }
        } else if (input instanceof Opened o) {
            opened(b, o);
        } else if (input instanceof StartRefused s) {
            b.error(null, s.code(), s.detail());
        } else if (input instanceof SignerReplied s) {
            RunningSession r = b.state.sessions().get(s.session());
            if (r != null) {
                afterSigner(b, r, s.reply(), s.now());
            }
        } else if (input instanceof Failed f) {
            end(b, f.session(), "FAILED", f.code(), f.detail());
        } else if (input instanceof Tick t) {
            tick(b, t);
        } else if (input instanceof CutOff c) {
            cutOff(b, c.closeCode(), c.code(), c.detail(), c.reason());
        } else if (input instanceof Closed) {
            b.state = b.state.closing();
            for (RunningSession r : state.sessions().values()) {
                end(b, r, "FAILED", "DISCONNECTED", "the device disconnected during the session");
            }
        }
        return new Step(b.state, b.actions);
    }

    // ---- frames from the device

    private void onFrame(Builder b, String text) {
        // the channel's one codec (shared-crypto channel.FrameCodec): strict, the same the devices use
        FrameCodec.Decoded<Frame.FromDevice> decoded = FrameCodec.decodeFromDevice(text);
        if (decoded instanceof FrameCodec.Decoded.Refused<Frame.FromDevice> refused) {
            // a malformed frame that names one of this connection's running sessions ends that session
            RunningSession r = b.state.sessions().get(sessionNamedIn(text));
            if (r != null) {
                end(b, r, "FAILED", refused.code(), refused.detail());
            } else {
                b.error(null, refused.code(), refused.detail());
            }
            return;
        }
        Frame.FromDevice frame = ((FrameCodec.Decoded.Ok<Frame.FromDevice>) decoded).frame();
        if (frame instanceof Frame.Keygen || frame instanceof Frame.Sign || frame instanceof Frame.Refresh
                || frame instanceof Frame.Presign || frame instanceof Frame.Online) {
            if (b.state.sessions().size() >= rules.maxSessions()) {
                b.error(null, "BUSY", "at most " + rules.maxSessions() + " sessions per connection");
            } else {
                b.act(new OpenSession(frame));
            }
        } else if (frame instanceof Frame.Ping) {
            b.send(new Frame.Pong());
        } else if (frame instanceof Frame.Msg m) {
            UUID id = uuid(m.session());
            if (id == null) {
                b.error(null, "BAD_FRAME", "session must be a UUID");
                return;
            }
            onMessage(b, id, m);
        } else if (frame instanceof Frame.Cancel c) {
            UUID id = uuid(c.session());
            if (id == null) {
                b.error(null, "BAD_FRAME", "session must be a UUID");
                return;
            }
            RunningSession r = b.state.sessions().get(id);
            if (r == null) {
                b.error(id, "UNKNOWN_SESSION", "no running session " + id);
            } else {
                end(b, r, "FAILED", "CANCELLED", "the device cancelled the session");
            }
        }
    }

    private void onMessage(Builder b, UUID id, Frame.Msg m) {
        RunningSession r = b.state.sessions().get(id);
        if (r == null) {
            b.error(id, "UNKNOWN_SESSION", "no running session " + id + " on this connection");
            return;
        }
        // the codec read seq as an exact integer in 0 .. 2^31 - 1 (2.9 or 2^32 + 2 are not 2: issue 10 §6)
        int seq = (int) m.seq();
        if (r.online() != null && seq == 1) {
            // an ONLINE session's one device message, O1: the signer is called once, with it
            b.state = b.state.with(r.awaitingSigner(seq));
            b.act(new CallSigner(r.id(), new SignerCall.Online(r.keysetId(), r.online(), m.payload())));
            return;
        }
        if (r.handle() == null || seq != r.lastSeq() + 1) {
            end(b, r, "FAILED", "OUT_OF_ORDER", "expected seq " + (r.lastSeq() + 1) + ", got " + seq
                    + " (replayed, duplicated, reordered or unexpected message)");
            return;
        }
        b.state = b.state.with(r.awaitingSigner(seq));
        b.act(new CallSigner(r.id(), new SignerCall.Next(r.handle(), m.payload())));
    }

    // ---- sessions the runner opened

    private void opened(Builder b, Opened o) {
        RunningSession r = o.session();
        b.state = b.state.with(r);
        b.send(new Frame.Started(r.id().toString(), r.kind().name(), HexFormat.of().formatHex(o.sid()),
                r.walletId().toString(), r.request() == null ? null : r.request().id().toString()));
        if (o.start() != null) {
            b.act(new CallSigner(r.id(), o.start()));
        }
    }

    /** Applies the signer's reply to a running session: relay, finish or fail. */
    private void afterSigner(Builder b, RunningSession r, GatewayReply reply, long now) {
        switch (reply) {
            case GatewayReply.Continue c -> {
                if (r.kind() == SessionKind.ONLINE) {
                    end(b, r, "FAILED", "SIGNER_FAILED", "the signer continued an online signing");
                    return;
                }
                RunningSession next = r.continued(c.handle(), now + rules.stepTimeoutSeconds() * 1000L);
                b.state = b.state.with(next);
                b.act(new ChannelAction.RecordStep(r.id(), next.lastSeq()));
                b.send(new Frame.Msg(r.id().toString(), next.lastSeq(), c.outbound()));
            }
            case GatewayReply.KeysetDone d -> finishKeyset(b, r, d.keyset());
            case GatewayReply.PresignDone d -> finishPresign(b, r, d);
            case GatewayReply.Signed d -> finishSign(b, r, d.signature());
            case GatewayReply.PermitRefused p -> {
                b.act(new ChannelAction.RecordPermitRefused(r, p.kindName(), clip(p.reason())));
                end(b, r, "FAILED", "PERMIT_REFUSED", p.kindName() + ": " + p.reason());
            }
            case GatewayReply.Aborted a -> {
                if (a.keyLocked() || a.kind() == FailureKind.KEY_LOCKED) {
                    // a lock found in storage (another instance, an interrupted decryption) is recorded too
                    keyLocked(b, r, a);
                } else if (a.kind() == FailureKind.PRESIGNATURE_UNAVAILABLE) {
                    // the pool's state, found before anything was computed: the device drops it and uses SIGN
                    end(b, r, "FAILED", "PRESIGNATURE_UNAVAILABLE", a.reason() + "; co-sign with 'sign'");
                } else {
                    end(b, r, "FAILED", "PROTOCOL_ABORTED", a.kindName() + " at " + a.reason());
                }
            }
            case GatewayReply.Failed f -> {
                if (f.keyLocked()) {
                    keyLocked(b, r, f);
                } else {
                    end(b, r, "FAILED", "SIGNER_FAILED", f.kindName() + ": " + f.reason());
                }
            }
        }
    }

    /** A KEYGEN or REFRESH finished with {@code keyset}; no other session can finish with a keyset. */
    private void finishKeyset(Builder b, RunningSession r, GatewayKeyset keyset) {
        if (r.kind() != SessionKind.REFRESH && r.kind() != SessionKind.KEYGEN) {
            end(b, r, "FAILED", "SIGNER_FAILED", "the signer finished a " + r.kind() + " with a keyset");
            return;
        }
        String publicKey = keyset.publicKeyHex();
        b.state = b.state.without(r.id());
        if (r.kind() == SessionKind.REFRESH) {
            b.act(new ChannelAction.RecordRefreshed(r, keyset.epoch()));
            b.send(new Frame.RefreshDone(r.id().toString(), r.walletId().toString(), publicKey, keyset.epoch()));
        } else {
            byte[] q = HexFormat.of().parseHex(publicKey);
            String address = EthAddress.fromPublicKey(q).toChecksumHex();
            b.act(new ChannelAction.RecordKeygen(r, q, address));
            b.send(new Frame.KeygenDone(r.id().toString(), r.walletId().toString(), publicKey, address));
        }
    }

    /**
     * A PRESIGN finished: the signer stored its half before releasing S3, which goes to the device as the session's
     * last message (seq {@code lastSeq + 1}); the session ends there (the device's driver expects no 'done').
     */
    private void finishPresign(Builder b, RunningSession r, GatewayReply.PresignDone d) {
        if (r.kind() != SessionKind.PRESIGN) {
            end(b, r, "FAILED", "SIGNER_FAILED", "the signer finished a " + r.kind() + " with a presignature");
            return;
        }
        b.state = b.state.without(r.id());
        b.act(new ChannelAction.RecordPresigned(r, d.presignatureId()));
        b.send(new Frame.Msg(r.id().toString(), r.lastSeq() + 1, d.lastMessage()));
    }

    /** A SIGN or ONLINE finished with {@code s}; no other session can finish with a signature. */
    private void finishSign(Builder b, RunningSession r, GatewayReply.Signature s) {
        if (!r.kind().signs()) {
            end(b, r, "FAILED", "SIGNER_FAILED", "the signer finished a " + r.kind() + " with a signature");
            return;
        }
        EthTransaction tx = r.request().tx();
        EcdsaSignature signature = new EcdsaSignature(s.r(), s.s(), s.recoveryId());
        byte[] raw = tx.encodeSigned(signature);
        byte[] txHash = tx.transactionHash(signature);
        b.state = b.state.without(r.id());
        b.act(new ChannelAction.RecordSignature(r, s, raw, txHash));
        b.send(new Frame.SignDone(r.id().toString(), r.request().id().toString(), hex32(s.r()), hex32(s.s()),
                s.recoveryId(), "0x" + HexFormat.of().formatHex(raw), "0x" + HexFormat.of().formatHex(txHash)));
    }

    private void keyLocked(Builder b, RunningSession r, GatewayReply.Failure reply) {
        String detail = reply.keyLocked()
                ? "signature failed verification (" + reply.kindName() + "); key locked"
                : "the signer refused: " + reply.reason();
        b.act(new ChannelAction.RecordKeyLocked(r, reply.kindName(), clip(reply.reason())));
        end(b, r, "FAILED", "KEY_LOCKED", detail);
    }

    // ---- time and the connection

    private void tick(Builder b, Tick t) {
        if (b.state.closed()) {
            return;
        }
        long idleMillis = rules.idleSeconds() * 1000L;
        if (b.state.sessions().isEmpty() && t.now() - t.lastFrameAt() > idleMillis) {
            cutOff(b, ChannelAction.CLOSE_GOING_AWAY, "IDLE", "no frame for " + rules.idleSeconds() + " s; the "
                    + "connection is closed (send a ping frame to keep it open)", "idle");
            return;
        }
        for (RunningSession r : b.state.sessions().values()) {
            if (t.now() > r.deadline() || t.now() > r.stepDeadline()) {
                end(b, r, "EXPIRED", "TIMEOUT", t.now() > r.deadline() ? "the session took longer than "
                        + rules.sessionTimeoutSeconds() + " s" : "no device message within "
                        + rules.stepTimeoutSeconds() + " s");
            }
        }
    }

    /** Ends every running session, tells the device why, and closes the connection. */
    private void cutOff(Builder b, int closeCode, String code, String detail, String reason) {
        if (b.state.closed()) {
            return;
        }
        for (RunningSession r : b.state.sessions().values()) {
            end(b, r, "FAILED", code, detail);
        }
        b.error(null, code, detail);
        b.state = b.state.closing();
        b.act(new Close(closeCode, reason));
    }

    /**
     * Ends a session: the signer's half abandoned, the end recorded (keygen wallet FAILED, audit), an error frame
     * unless the connection is closed. A session that is no longer running (it finished, or ended already) is ended
     * again only by {@link Failed}, whose recording failed after the session left the state.
     */
    private void end(Builder b, RunningSession r, String status, String code, String detail) {
        b.state = b.state.without(r.id());
        if (r.handle() != null) {
            b.act(new ChannelAction.AbandonSigner(r.id(), r.handle()));
        }
        b.act(new ChannelAction.RecordEnd(r, status, code, clip(detail)));
        if (!b.state.closed()) {
            b.error(r.id(), code, detail);
        }
    }

    // ---- helpers

    /** The running session a (malformed) frame names in its {@code session} field, if any. */
    static UUID sessionNamedIn(String text) {
        if (text == null || text.length() > FrameCodec.MAX_FRAME_BYTES
                || !(Json.parse(text) instanceof Json.Parsed.Ok ok)
                || !(ok.value() instanceof Json.Obj o)
                || !(o.members().get("session") instanceof Json.Str s)) {
            return null;
        }
        return uuid(s.value());
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hex32(java.math.BigInteger v) {
        return HexFormat.of().formatHex(SignRequest.fixed32(v));
    }

    /** A detail fit for a frame, a row and a log: control characters blanked, at most 300 characters. */
    public static String clip(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder t = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && t.length() < 300; i++) {
            char ch = s.charAt(i);
            t.append(ch < 0x20 || ch == 0x7f ? ' ' : ch);
        }
        return t.toString();
    }

    /** Collects one transition's state and actions. */
    private static final class Builder {
        State state;
        final List<ChannelAction> actions = new ArrayList<>();

        Builder(State state) {
            this.state = state;
        }

        void act(ChannelAction a) {
            actions.add(a);
        }

        void send(Frame.FromBank f) {
            actions.add(new Send(f));
        }

        void error(UUID session, String code, String detail) {
            actions.add(new Send(new Frame.Error(session == null ? null : session.toString(), code, clip(detail))));
        }
    }
}
