package org.mpcwallet.crypto.parity;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.refresh.RefreshP1;
import org.mpcwallet.crypto.protocol.refresh.RefreshP2;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.crypto.protocol.sign.PresignP2;
import org.mpcwallet.crypto.protocol.sign.SignP1;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;
import org.mpcwallet.crypto.zk.VerifiedRingPedersen;

/**
 * Runs both parties of a protocol in one process, passing the encoded messages back and forth. For the parity gate,
 * golden transcripts, benchmarks and the demo only: a real deployment runs P1 in the bank and P2 on the device,
 * and no process ever holds both shares. Each run records every message, in order.
 */
public final class InProcessRun {
    private InProcessRun() {}

    /** Told before and after each party's computation (benchmarks time the parties separately). */
    public interface Observer {
        void begin(Party party);

        void end(Party party);

        Observer NONE = new Observer() {
            @Override
            public void begin(Party party) {}

            @Override
            public void end(Party party) {}
        };
    }

    private static <T> T as(Observer obs, Party party, java.util.function.Supplier<T> work) {
        obs.begin(party);
        try {
            return work.get();
        } finally {
            obs.end(party);
        }
    }

    /** A finished run: both results and the messages exchanged. */
    public record Result<A, B>(A p1, B p2, List<byte[]> messages) {}

    /** Thrown when a party aborts; carries the failure value. */
    public static final class Aborted extends RuntimeException {
        private final ProtocolFailure failure;

        Aborted(ProtocolFailure failure) {
            super(failure.toString(), null, false, false);
            this.failure = failure;
        }

        public ProtocolFailure failure() {
            return failure;
        }
    }

    private static <S, R> S state(Step<S, R> step) {
        if (step instanceof Step.Continue<S, R> c) {
            return c.state();
        }
        if (step instanceof Step.Aborted<S, R> a) {
            throw new Aborted(a.failure());
        }
        throw new IllegalStateException("protocol finished early");
    }

    private static <S, R> R result(Step<S, R> step) {
        if (step instanceof Step.Done<S, R> d) {
            return d.result();
        }
        if (step instanceof Step.Aborted<S, R> a) {
            throw new Aborted(a.failure());
        }
        throw new IllegalStateException("protocol did not finish");
    }

    private static byte[] send(List<byte[]> log, Step<?, ?> step) {
        byte[] out = step.outbound();
        log.add(out);
        return out;
    }

    public static Result<P1KeyShare, P2KeyShare> keygen(byte[] sid, ProvenRingPedersen bankParams,
            ProvenRingPedersen deviceParams, Env env1, Env env2) {
        return keygen(sid, bankParams, deviceParams, env1, env2, Observer.NONE);
    }

    public static Result<P1KeyShare, P2KeyShare> keygen(byte[] sid, ProvenRingPedersen bankParams,
            ProvenRingPedersen deviceParams, Env env1, Env env2, Observer obs) {
        return keygen(sid, bankParams, deviceParams, null, null, env1, env2, obs);
    }

    /**
     * Keygen where the device already verified the bank's parameters ({@code known}; null: it verifies them) and the
     * bank remembers device parameters it verified ({@code deviceCache}; null: it verifies them).
     */
    public static Result<P1KeyShare, P2KeyShare> keygen(byte[] sid, ProvenRingPedersen bankParams,
            ProvenRingPedersen deviceParams, VerifiedRingPedersen known, RingPedersenCache deviceCache, Env env1,
            Env env2, Observer obs) {
        List<byte[]> log = new ArrayList<>();
        Step<KeygenP1.State, P1KeyShare> a1 = as(obs, Party.P1, () -> KeygenP1.start(sid, bankParams, deviceCache,
                env1));
        Step<KeygenP2.State, P2KeyShare> b1 = as(obs, Party.P2, () ->
                KeygenP2.next(KeygenP2.start(sid, deviceParams, known), send(log, a1), env2));
        Step<KeygenP1.State, P1KeyShare> a2 = as(obs, Party.P1, () -> KeygenP1.next(state(a1), send(log, b1), env1));
        Step<KeygenP2.State, P2KeyShare> b2 = as(obs, Party.P2, () -> KeygenP2.next(state(b1), send(log, a2), env2));
        Step<KeygenP1.State, P1KeyShare> a3 = as(obs, Party.P1, () -> KeygenP1.next(state(a2), send(log, b2), env1));
        return new Result<>(result(a3), result(b2), log);
    }

    public static Result<EcdsaSignature, SignP2.Sent> sign(P1KeyHolder holder, P2KeyShare share, byte[] sid,
            byte[] hash, Env env1, Env env2) {
        return sign(holder, share, sid, hash, env1, env2, Observer.NONE);
    }

    public static Result<EcdsaSignature, SignP2.Sent> sign(P1KeyHolder holder, P2KeyShare share, byte[] sid,
            byte[] hash, Env env1, Env env2, Observer obs) {
        List<byte[]> log = new ArrayList<>();
        Step<SignP1.State, EcdsaSignature> a1 = as(obs, Party.P1, () -> holder.signStart(sid, hash, env1));
        Step<SignP2.State, SignP2.Sent> b1 = as(obs, Party.P2, () ->
                SignP2.next(SignP2.start(share, sid, hash), send(log, a1), env2));
        Step<SignP1.State, EcdsaSignature> a2 = as(obs, Party.P1, () ->
                holder.signNext(state(a1), send(log, b1), env1));
        Step<SignP2.State, SignP2.Sent> b2 = as(obs, Party.P2, () -> SignP2.next(state(b1), send(log, a2), env2));
        Step<SignP1.State, EcdsaSignature> a3 = as(obs, Party.P1, () ->
                holder.signNext(state(a2), send(log, b2), env1));
        return new Result<>(result(a3), result(b2), log);
    }

    public static Result<P1Presignature, P2Presignature> presign(P1KeyHolder holder, P2KeyShare share, byte[] sid,
            Env env1, Env env2) {
        return presign(holder, share, sid, env1, env2, Observer.NONE);
    }

    public static Result<P1Presignature, P2Presignature> presign(P1KeyHolder holder, P2KeyShare share, byte[] sid,
            Env env1, Env env2, Observer obs) {
        List<byte[]> log = new ArrayList<>();
        Step<PresignP1.AwaitingNonce, P1Presignature> a1 = as(obs, Party.P1, () -> holder.presignStart(sid, env1));
        Step<PresignP2.State, P2Presignature> b1 = as(obs, Party.P2, () ->
                PresignP2.next(PresignP2.start(share, sid), send(log, a1), env2));
        Step<PresignP1.AwaitingNonce, P1Presignature> a2 = as(obs, Party.P1, () ->
                holder.presignNext(state(a1), send(log, b1)));
        Step<PresignP2.State, P2Presignature> b2 = as(obs, Party.P2, () ->
                PresignP2.next(state(b1), send(log, a2), env2));
        return new Result<>(result(a2), result(b2), log);
    }

    /** Online signing with a pooled presignature: P2's one message, P1's finish. */
    public static Result<EcdsaSignature, byte[]> online(P1KeyHolder holder, P2KeyShare share, P2Presignature presig,
            byte[] hash, Env env1, Env env2) {
        return online(holder, share, presig, hash, env1, env2, Observer.NONE);
    }

    public static Result<EcdsaSignature, byte[]> online(P1KeyHolder holder, P2KeyShare share, P2Presignature presig,
            byte[] hash, Env env1, Env env2, Observer obs) {
        OnlineP2.Result o1 = as(obs, Party.P2, () -> OnlineP2.encrypt(share, presig, hash, env2));
        if (o1.failure() != null) {
            throw new Aborted(o1.failure());
        }
        List<byte[]> log = new ArrayList<>();
        log.add(o1.outbound());
        Step<Void, EcdsaSignature> fin = as(obs, Party.P1, () ->
                holder.online(presig.idHex(), hash, o1.outbound(), env1));
        return new Result<>(result(fin), o1.outbound(), log);
    }

    public static Result<P1KeyShare, P2KeyShare> refresh(P1KeyShare p1, P2KeyShare p2, byte[] sid,
            ProvenRingPedersen bankParams, ProvenRingPedersen deviceParams, Env env1, Env env2) {
        return refresh(p1, p2, sid, bankParams, deviceParams, env1, env2, Observer.NONE);
    }

    public static Result<P1KeyShare, P2KeyShare> refresh(P1KeyShare p1, P2KeyShare p2, byte[] sid,
            ProvenRingPedersen bankParams, ProvenRingPedersen deviceParams, Env env1, Env env2, Observer obs) {
        List<byte[]> log = new ArrayList<>();
        Step<RefreshP1.State, P1KeyShare> a1 = as(obs, Party.P1, () -> RefreshP1.start(p1, sid, bankParams, env1));
        Step<RefreshP2.State, P2KeyShare> b1 = as(obs, Party.P2, () ->
                RefreshP2.next(RefreshP2.start(p2, sid, deviceParams), send(log, a1), env2));
        Step<RefreshP1.State, P1KeyShare> a2 = as(obs, Party.P1, () -> RefreshP1.next(state(a1), send(log, b1), env1));
        Step<RefreshP2.State, P2KeyShare> b2 = as(obs, Party.P2, () -> RefreshP2.next(state(b1), send(log, a2), env2));
        Step<RefreshP1.State, P1KeyShare> a3 = as(obs, Party.P1, () -> RefreshP1.next(state(a2), send(log, b2), env1));
        return new Result<>(result(a3), result(b2), log);
    }
}
