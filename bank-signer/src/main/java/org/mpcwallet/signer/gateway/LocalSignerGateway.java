package org.mpcwallet.signer.gateway;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.refresh.RefreshP1;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.signer.BankSigner;
import org.mpcwallet.signer.KeysetInfo;
import org.mpcwallet.signer.Outcome;
import org.mpcwallet.signer.ProtocolSession;
import org.mpcwallet.signer.SignSession;
import org.mpcwallet.signer.SignerFailureKind;

/**
 * The {@link SignerGateway} over an in-process {@link BankSigner} (docs/mpc-channel.md "Signer gateway"). Running
 * sessions live in memory under random 128-bit handles; a handle is taken out of the table for the duration of a
 * step (so two concurrent calls with one handle cannot both advance it) and a CONTINUE reply names a fresh one.
 * Sessions idle longer than the timeout are dropped on the next call.
 */
public final class LocalSignerGateway implements SignerGateway {
    private final BankSigner signer;
    private final Clock clock;
    private final Duration timeout;
    private final SecureRandom random;
    private final Env env;
    private final Map<String, Running> sessions = new ConcurrentHashMap<>();

    private sealed interface Session permits KeygenRun, RefreshRun, SignRun, PresignRun {}

    private record KeygenRun(ProtocolSession<KeygenP1.State> s) implements Session {}

    private record RefreshRun(ProtocolSession<RefreshP1.State> s) implements Session {}

    private record SignRun(SignSession s) implements Session {}

    private record PresignRun(ProtocolSession<PresignP1.AwaitingNonce> s) implements Session {}

    private record Running(Session session, long expiresAt) {}

    public LocalSignerGateway(BankSigner signer, Clock clock, Duration timeout, SecureRandom random) {
        if (signer == null || clock == null || timeout == null || random == null || timeout.isNegative()
                || timeout.isZero()) {
            throw new IllegalArgumentException("signer, clock, positive timeout and random are required");
        }
        this.signer = signer;
        this.clock = clock;
        this.timeout = timeout;
        this.random = random;
        this.env = Env.jvm(random::nextBytes);
    }

    @Override
    public GatewayReply keygenStart(String keysetId, byte[] sessionId) {
        requireSessionId(sessionId);
        return keygenReply(signer.keygenStart(keysetId, sessionId, env));
    }

    @Override
    public GatewayReply signStart(String keysetId, byte[] sessionId, byte[] permit, byte[] permitSignature) {
        requireSessionId(sessionId);
        return signReply(signer.signStart(keysetId, sessionId, permit, permitSignature, env));
    }

    @Override
    public GatewayReply presignStart(String keysetId, byte[] sessionId) {
        requireSessionId(sessionId);
        return presignReply(signer.presignStart(keysetId, sessionId, env));
    }

    @Override
    public GatewayReply online(String keysetId, String presignatureId, byte[] permit, byte[] permitSignature,
            byte[] o1) {
        if (presignatureId == null || !presignatureId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("presignature id must be 64 lowercase hex characters");
        }
        if (o1 == null) {
            return new GatewayReply.Aborted(FailureKind.MALFORMED_MESSAGE, "no message", false);
        }
        return switch (signer.online(keysetId, presignatureId, permit, permitSignature, o1, env)) {
            case Outcome.Done<Void, EcdsaSignature> d -> signed(d.result());
            case Outcome<Void, EcdsaSignature> o -> failureOf(o);
        };
    }

    @Override
    public int presignatures(String keysetId) {
        if (keysetId == null || keysetId.isEmpty()) {
            throw new IllegalArgumentException("keysetId required");
        }
        return signer.presignatureIds(keysetId).size();
    }

    @Override
    public GatewayReply refreshStart(String keysetId, byte[] sessionId) {
        requireSessionId(sessionId);
        return refreshReply(signer.refreshStart(keysetId, sessionId, env));
    }

    @Override
    public GatewayReply authorizeSweep(String keysetId, String to, int signatures) {
        return switch (signer.authorizeSweep(keysetId, to, signatures)) {
            case Outcome.Done<Void, KeysetInfo> d -> new GatewayReply.KeysetDone(keysetOf(d.result()), null);
            case Outcome<Void, KeysetInfo> o -> failureOf(o);
        };
    }

    @Override
    public GatewayReply next(String handle, byte[] inbound) {
        expire();
        Running running = handle == null ? null : sessions.remove(handle);
        if (running == null || running.expiresAt < clock.millis()) {
            return new GatewayReply.Failed(GatewayFailureKind.UNKNOWN_SESSION,
                    "no running signer session with this handle (unknown, expired or already advanced)", false);
        }
        if (inbound == null) {
            return new GatewayReply.Aborted(FailureKind.MALFORMED_MESSAGE, "no message", false);
        }
        return switch (running.session) {
            case KeygenRun k -> keygenReply(signer.keygenNext(k.s, inbound, env));
            case RefreshRun r -> refreshReply(signer.refreshNext(r.s, inbound, env));
            case SignRun s -> signReply(signer.signNext(s.s, inbound, env));
            case PresignRun p -> presignReply(signer.presignNext(p.s, inbound));
        };
    }

    @Override
    public void abandon(String handle) {
        if (handle != null) {
            sessions.remove(handle);
        }
    }

    @Override
    public GatewayKeyset keyset(String keysetId) {
        KeysetInfo info = signer.keyset(keysetId);
        return info == null ? null : keysetOf(info);
    }

    @Override
    public boolean healthy() {
        return true;
    }

    /** Number of running sessions (after dropping expired ones). */
    public int runningSessions() {
        expire();
        return sessions.size();
    }

    private GatewayReply keygenReply(Outcome<ProtocolSession<KeygenP1.State>, KeysetInfo> o) {
        return switch (o) {
            case Outcome.Continue<ProtocolSession<KeygenP1.State>, KeysetInfo> c ->
                    hold(new KeygenRun(c.session()), c.outbound());
            case Outcome.Done<ProtocolSession<KeygenP1.State>, KeysetInfo> d ->
                    new GatewayReply.KeysetDone(keysetOf(d.result()), d.outbound());
            default -> failureOf(o);
        };
    }

    private GatewayReply refreshReply(Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> o) {
        return switch (o) {
            case Outcome.Continue<ProtocolSession<RefreshP1.State>, KeysetInfo> c ->
                    hold(new RefreshRun(c.session()), c.outbound());
            case Outcome.Done<ProtocolSession<RefreshP1.State>, KeysetInfo> d ->
                    new GatewayReply.KeysetDone(keysetOf(d.result()), d.outbound());
            default -> failureOf(o);
        };
    }

    private GatewayReply signReply(Outcome<SignSession, EcdsaSignature> o) {
        return switch (o) {
            case Outcome.Continue<SignSession, EcdsaSignature> c -> hold(new SignRun(c.session()), c.outbound());
            case Outcome.Done<SignSession, EcdsaSignature> d -> signed(d.result());
            default -> failureOf(o);
        };
    }

    private GatewayReply presignReply(Outcome<ProtocolSession<PresignP1.AwaitingNonce>, String> o) {
        return switch (o) {
            case Outcome.Continue<ProtocolSession<PresignP1.AwaitingNonce>, String> c ->
                    hold(new PresignRun(c.session()), c.outbound());
            case Outcome.Done<ProtocolSession<PresignP1.AwaitingNonce>, String> d ->
                    new GatewayReply.PresignDone(d.result(), d.outbound());
            default -> failureOf(o);
        };
    }

    private static GatewayReply signed(EcdsaSignature sig) {
        return new GatewayReply.Signed(new GatewayReply.Signature(sig.r(), sig.s(), sig.recoveryId()));
    }

    private static GatewayReply failureOf(Outcome<?, ?> o) {
        return switch (o) {
            case Outcome.Aborted<?, ?> a -> protocolFailure(a.failure());
            case Outcome.Failed<?, ?> f -> new GatewayReply.Failed(kindOf(f.failure().kind()), f.failure().reason(),
                    f.lockCause() != null);
            case Outcome.PermitRefused<?, ?> p -> new GatewayReply.PermitRefused(p.failure().kind(),
                    p.failure().reason());
            default -> throw new IllegalStateException("not a failure: " + o);
        };
    }

    private static GatewayFailureKind kindOf(SignerFailureKind kind) {
        return switch (kind) {
            case NOT_LOADED -> GatewayFailureKind.NOT_LOADED;
            case KEYSET_EXISTS -> GatewayFailureKind.KEYSET_EXISTS;
            case EPOCH_CONFLICT -> GatewayFailureKind.EPOCH_CONFLICT;
            case STALE_SESSION -> GatewayFailureKind.STALE_SESSION;
            case PERSISTENCE_FAILED -> GatewayFailureKind.PERSISTENCE_FAILED;
            case STORED_BLOB_INVALID -> GatewayFailureKind.STORED_BLOB_INVALID;
        };
    }

    private static GatewayReply protocolFailure(ProtocolFailure f) {
        String reason = f.step() + ": " + f.reason();
        return new GatewayReply.Aborted(f.kind(), reason, f.locksKey());
    }

    private GatewayReply hold(Session session, byte[] outbound) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String handle = HexFormat.of().formatHex(id);
        sessions.put(handle, new Running(session, clock.millis() + timeout.toMillis()));
        return new GatewayReply.Continue(handle, outbound);
    }

    private void expire() {
        long now = clock.millis();
        for (Iterator<Running> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt < now) {
                it.remove();
            }
        }
    }

    static GatewayKeyset keysetOf(KeysetInfo info) {
        return new GatewayKeyset(info.keysetId(), info.epoch(),
                HexFormat.of().formatHex(info.publicKey().encodeUncompressed()), info.locked(), info.retired(),
                info.sweep() == null ? null : info.sweep().to(), info.sweep() == null ? 0 : info.sweep().left());
    }

    private static void requireSessionId(byte[] sessionId) {
        if (sessionId == null || sessionId.length != 32) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
    }

    @Override
    public String toString() {
        return "LocalSignerGateway[" + sessions.size() + " sessions, timeout " + timeout + "]";
    }
}
