package org.mpcwallet.crypto.protocol.sign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;
import org.mpcwallet.crypto.protocol.refresh.RefreshP1;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The bank's key object (docs/protocol.md §5, §6.4): one P1 share epoch, its presignature pool, and the
 * compromise lock. Every signing entry point goes through here so that
 * <ul>
 *   <li>a locked key refuses to sign (KEY_LOCKED) — CVE-2023-33242: a failed 2PC signature is never retried, and
 *       the lock is final for the key (a refresh does not clear it; recovery is a new key and a sweep);</li>
 *   <li>a presignature or a session nonce is consumed before it is used and can never be used twice.</li>
 * </ul>
 * The lock is in memory; persisting it (and the presignature pool) is the bank signer's duty: it must store the
 * lock when a step returns a failure whose {@link ProtocolFailure#locksKey()} is true, and {@link #restore} it on load.
 * Thread-safe (all methods synchronized); no I/O.
 */
public final class P1KeyHolder {
    private final P1KeyShare share;
    private ProtocolFailure lockCause;
    private final Map<String, P1Presignature> pool = new LinkedHashMap<>();
    private final Set<String> consumed = new HashSet<>();
    /** Sessions started with {@link #sweepStart}: the only ones a locked key runs. */
    private final Set<String> sweeps = new HashSet<>();

    public P1KeyHolder(P1KeyShare share) {
        this(share, null);
    }

    private P1KeyHolder(P1KeyShare share, ProtocolFailure lockCause) {
        if (share == null) {
            throw new IllegalArgumentException("share required");
        }
        this.share = share;
        this.lockCause = lockCause;
    }

    /** Re-creates a holder from storage, locked if the stored lock cause is non-null. */
    public static P1KeyHolder restore(P1KeyShare share, ProtocolFailure storedLockCause) {
        if (storedLockCause != null && !storedLockCause.locksKey()) {
            throw new IllegalArgumentException("only a KEY_COMPROMISE_RISK failure locks a key");
        }
        return new P1KeyHolder(share, storedLockCause);
    }

    public P1KeyShare share() {
        return share;
    }

    public synchronized boolean locked() {
        return lockCause != null;
    }

    /** The failure that locked this key, or null. */
    public synchronized ProtocolFailure lockCause() {
        return lockCause;
    }

    // ---- presignatures --------------------------------------------------------------------------------------

    public synchronized Step<PresignP1.AwaitingNonce, P1Presignature> presignStart(byte[] sid, Env env) {
        ProtocolFailure refused = refuse("S1", sid);
        if (refused != null) {
            return new Step.Aborted<>(refused);
        }
        consumed.add(hex(sid));
        return PresignP1.start(share, sid, env);
    }

    /** Finishes P1's presign; the resulting presignature is added to this holder's pool. */
    public synchronized Step<PresignP1.AwaitingNonce, P1Presignature> presignNext(PresignP1.AwaitingNonce state,
            byte[] inbound) {
        if (lockCause != null) {
            return new Step.Aborted<>(lockedFailure("S3"));
        }
        Step<PresignP1.AwaitingNonce, P1Presignature> step = PresignP1.next(state, inbound);
        if (step instanceof Step.Done<PresignP1.AwaitingNonce, P1Presignature> done) {
            pool.put(done.result().idHex(), done.result());
        }
        return step;
    }

    /** Adds a presignature loaded from the bank signer's store (must belong to this share epoch, never used). */
    public synchronized void addPresignature(P1Presignature presig) {
        if (!Arrays.equals(presig.keyFingerprint(), share.fingerprint())) {
            throw new IllegalArgumentException("presignature belongs to another key epoch");
        }
        if (consumed.contains(presig.idHex()) && !pool.containsKey(presig.idHex())) {
            throw new IllegalArgumentException("presignature was already consumed");
        }
        pool.put(presig.idHex(), presig);
    }

    public synchronized List<String> presignatureIds() {
        return new ArrayList<>(pool.keySet());
    }

    /**
     * Online signing (§5.2 O2) with a pooled presignature: the presignature is removed from the pool first,
     * whatever happens next; then the lock, the message hash, the ciphertext and the final signature are checked.
     */
    public synchronized Step<Void, EcdsaSignature> online(String presignatureId, byte[] expectedHash,
            byte[] inbound, Env env) {
        P1Presignature presig = pool.remove(presignatureId);
        consumed.add(presignatureId);
        if (presig == null) {
            return new Step.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                    "no unused presignature with this id"));
        }
        if (lockCause != null) {
            return new Step.Aborted<>(lockedFailure("O2"));
        }
        Step<Void, EcdsaSignature> step = Steps.guard("O2", Party.P2, () -> {
            byte[] body = Envelope.decode(inbound).expect(ProtocolId.ONLINE, presig.id(), 1, Party.P2, "O2");
            return new Step.Done<>(OnlineP1Finish.apply(ProtocolId.ONLINE, presig.id(), share, presig, expectedHash,
                    body, env), null);
        });
        return recordLock(step);
    }

    // ---- 4-message signing ----------------------------------------------------------------------------------

    public synchronized Step<SignP1.State, EcdsaSignature> signStart(byte[] sid, byte[] messageHash, Env env) {
        ProtocolFailure refused = refuse("S1", sid);
        if (refused != null) {
            return new Step.Aborted<>(refused);
        }
        return startSign(sid, messageHash, env);
    }

    /**
     * S1 of the sweep of a locked key (docs/key-rotation.md): the same proven 4-message SIGN as {@link #signStart},
     * run although the key is locked. The caller has checked, against storage, that the rotation authorized this
     * signature and that {@code messageHash} is the hash of a transaction paying the stored sweep target only; this
     * holder cannot check that and refuses nothing but malformed input and reused session ids.
     */
    public synchronized Step<SignP1.State, EcdsaSignature> sweepStart(byte[] sid, byte[] messageHash, Env env) {
        ProtocolFailure lock = lockCause;
        lockCause = null;
        ProtocolFailure refused;
        try {
            refused = refuse("S1", sid);
        } finally {
            lockCause = lock;
        }
        if (refused != null) {
            return new Step.Aborted<>(refused);
        }
        Step<SignP1.State, EcdsaSignature> step = startSign(sid, messageHash, env);
        if (step instanceof Step.Continue<SignP1.State, EcdsaSignature>) {
            sweeps.add(hex(sid));
        }
        return step;
    }

    private Step<SignP1.State, EcdsaSignature> startSign(byte[] sid, byte[] messageHash, Env env) {
        if (messageHash == null || messageHash.length != 32) {
            return new Step.Aborted<>(new ProtocolFailure(FailureKind.INVALID_PARAMETER, "S1", null,
                    "message hash must be 32 bytes"));
        }
        consumed.add(hex(sid));
        return Steps.guard("S1", null, () -> {
            S1P1Commit.Output mine = S1P1Commit.apply(ProtocolId.SIGN, sid, env);
            PresignP1.AwaitingNonce presign = new PresignP1.AwaitingNonce(sid.clone(), share.fingerprint(), mine);
            return new Step.Continue<>(new SignP1.AwaitingNonce(sid.clone(), messageHash.clone(), presign),
                    mine.outbound());
        });
    }

    public synchronized Step<SignP1.State, EcdsaSignature> signNext(SignP1.State state, byte[] inbound, Env env) {
        if (lockCause != null && !sweeps.contains(hex(sidOf(state)))) {
            return new Step.Aborted<>(lockedFailure("sign"));
        }
        if (state instanceof SignP1.AwaitingNonce s) {
            return Steps.guard("S3", Party.P2, () -> {
                byte[] body = Envelope.decode(inbound).expect(ProtocolId.SIGN, s.sid(), 2, Party.P2, "S3");
                S3P1Reveal.Output out = S3P1Reveal.apply(ProtocolId.SIGN, s.sid(), s.presign().mine(),
                        s.presign().keyFingerprint(), body);
                return new Step.Continue<>(new SignP1.AwaitingCiphertext(s.sid(), s.messageHash(),
                        out.presignature()), out.outbound());
            });
        }
        SignP1.AwaitingCiphertext s = (SignP1.AwaitingCiphertext) state;
        P1Presignature presig = s.presignature();
        if (!consumed.add(hex(s.sid()) + "/online")) {
            return new Step.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                    "this session's nonce was already used"));
        }
        Step<SignP1.State, EcdsaSignature> step = Steps.guard("O2", Party.P2, () -> {
            byte[] body = Envelope.decode(inbound).expect(ProtocolId.SIGN, s.sid(), 4, Party.P2, "O2");
            return new Step.Done<>(OnlineP1Finish.apply(ProtocolId.SIGN, s.sid(), share, presig, s.messageHash(),
                    body, env), null);
        });
        return recordLock(step);
    }

    // ---- refresh --------------------------------------------------------------------------------------------

    /**
     * R1 of a routine share refresh (docs/protocol.md §6), refused with KEY_LOCKED on a locked key: P2 takes part in
     * a refresh and knows the factor between old and new shares, so whatever a failed signature taught it carries
     * over; a locked key is retired for good and replaced by rotation (§6.4). The caller stores the lock durably,
     * so a restored holder refuses too.
     */
    public synchronized Step<RefreshP1.State, P1KeyShare> refreshStart(byte[] sid, ProvenRingPedersen bankParams,
            Env env) {
        return refreshStart(sid, bankParams, null, env);
    }

    /** As {@link #refreshStart(byte[], ProvenRingPedersen, Env)}, with a cache of verified device parameters. */
    public synchronized Step<RefreshP1.State, P1KeyShare> refreshStart(byte[] sid, ProvenRingPedersen bankParams,
            org.mpcwallet.crypto.zk.RingPedersenCache deviceCache, Env env) {
        if (lockCause != null) {
            return new Step.Aborted<>(lockedFailure("R1"));
        }
        return RefreshP1.start(share, sid, bankParams, deviceCache, env);
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private ProtocolFailure refuse(String step, byte[] sid) {
        if (lockCause != null) {
            return lockedFailure(step);
        }
        if (share.ringPedersen() == null) {
            return new ProtocolFailure(FailureKind.INVALID_PARAMETER, step, null,
                    "this key predates proven signing; refresh it before signing");
        }
        if (sid == null || sid.length != Envelope.SESSION_ID_BYTES) {
            return new ProtocolFailure(FailureKind.INVALID_PARAMETER, step, null, "session id must be 32 bytes");
        }
        if (consumed.contains(hex(sid))) {
            return new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, step, null,
                    "session id already used with this key");
        }
        return null;
    }

    private ProtocolFailure lockedFailure(String step) {
        return new ProtocolFailure(FailureKind.KEY_LOCKED, step, null,
                "key is retired after a failed signature; an operator must rotate it (new key, sweep)");
    }

    private <S> Step<S, EcdsaSignature> recordLock(Step<S, EcdsaSignature> step) {
        if (step instanceof Step.Aborted<S, EcdsaSignature> aborted && aborted.failure().locksKey()) {
            lockCause = aborted.failure();
        }
        return step;
    }

    private static byte[] sidOf(SignP1.State state) {
        return switch (state) {
            case SignP1.AwaitingNonce n -> n.sid();
            case SignP1.AwaitingCiphertext c -> c.sid();
        };
    }

    private static String hex(byte[] b) {
        return org.mpcwallet.crypto.core.Bytes.toHex(b);
    }

    @Override
    public String toString() {
        return "P1KeyHolder[" + share + (lockCause != null ? ", LOCKED" : "") + "]";
    }
}
