package org.mpcwallet.signer;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.refresh.RefreshP1;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.crypto.protocol.sign.SignP1;
import org.mpcwallet.signer.permit.PermitResult;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.VerifiedPermit;
import org.mpcwallet.signer.spi.InMemoryLockRepository;
import org.mpcwallet.signer.spi.InMemoryPresignatureRepository;
import org.mpcwallet.signer.spi.InMemoryShareRepository;
import org.mpcwallet.signer.spi.LockRepository;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.PresignatureRepository;
import org.mpcwallet.signer.spi.ShareRepository;
import org.mpcwallet.signer.spi.StoredShare;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.PresignatureStore;
import org.mpcwallet.signer.store.StoreResult;

/**
 * The bank's in-process P1 party (docs/bank-design.md, docs/bank-signer.md): one {@link P1KeyHolder} per keyset and
 * every P1 protocol behind narrow persistence ports.
 *
 * <ul>
 *   <li>keygen and refresh: the new share is sealed under the KEK and stored ({@link ShareRepository}) before the
 *       result is released; refresh works on a locked key (recovery) and clears the lock only after the new epoch
 *       is durable and the old presignatures are dropped;</li>
 *   <li>presign: P1's half is sealed (MPCP v1) and stored ({@link PresignatureRepository}) before round S3 is
 *       released;</li>
 *   <li>online and SIGN: the permit is verified first and the hash signed is the permit's; online takes the
 *       presignature out of the repository (durably deleted) before using it;</li>
 *   <li>a KEY_COMPROMISE_RISK failure locks the in-memory holder, is stored in the {@link LockRepository} and then
 *       reported to the {@link LockListener}.</li>
 * </ul>
 * A keyset not in memory is loaded on first use from the repositories (share and lock), so a new instance over the
 * same repositories continues where the old one stopped. Thread-safe.
 */
public final class BankSigner {
    private final KeyEncryptionKey kek;
    private final PermitVerifier permits;
    private final ShareRepository shares;
    private final PresignatureRepository presignatures;
    private final LockRepository locks;
    private final LockListener lockListener;
    private final SecureRandom random;
    private final Map<String, P1KeyHolder> holders = new ConcurrentHashMap<>();

    /** A signer with in-memory repositories (load + SIGN use, tests). */
    public BankSigner(KeyEncryptionKey kek, PermitVerifier permits, LockListener lockListener) {
        this(kek, permits, new InMemoryShareRepository(), new InMemoryPresignatureRepository(),
                new InMemoryLockRepository(), lockListener, new SecureRandom());
    }

    public BankSigner(KeyEncryptionKey kek, PermitVerifier permits, ShareRepository shares,
            PresignatureRepository presignatures, LockRepository locks, LockListener lockListener,
            SecureRandom random) {
        if (kek == null || permits == null || shares == null || presignatures == null || locks == null
                || lockListener == null || random == null) {
            throw new IllegalArgumentException("KEK, permit verifier, repositories, lock listener and random are required");
        }
        this.kek = kek;
        this.permits = permits;
        this.shares = shares;
        this.presignatures = presignatures;
        this.locks = locks;
        this.lockListener = lockListener;
        this.random = random;
    }

    // ---- loading --------------------------------------------------------------------------------------------

    /**
     * Opens {@code blob} for {@code keysetId} and installs its key, locked when {@code storedLockCause} is non-null
     * (the failure the server persisted). On any failure the keyset already loaded, if any, stays as it was.
     *
     * @throws IllegalArgumentException if {@code storedLockCause} is not a key-locking failure
     */
    public StoreResult<KeysetInfo> load(String keysetId, byte[] blob, ProtocolFailure storedLockCause) {
        if (storedLockCause != null && !storedLockCause.locksKey()) {
            throw new IllegalArgumentException("only a KEY_COMPROMISE_RISK failure locks a key");
        }
        StoreResult<P1KeyShare> opened = EncryptedShareStore.open(blob, keysetId, kek);
        if (!opened.isSuccess()) {
            return StoreResult.failure(opened.failure());
        }
        P1KeyHolder holder = P1KeyHolder.restore(opened.value(), storedLockCause);
        holders.put(keysetId, holder);
        return StoreResult.success(info(keysetId, holder));
    }

    /** Public facts about a keyset (loading it from the repositories if needed), or null if there is none. */
    public KeysetInfo keyset(String keysetId) {
        Lookup l = lookup(keysetId);
        return l.holder == null ? null : info(keysetId, l.holder);
    }

    private record Lookup(P1KeyHolder holder, SignerFailure failure) {}

    private Lookup lookup(String keysetId) {
        P1KeyHolder h = holders.get(keysetId);
        if (h != null) {
            return new Lookup(h, null);
        }
        StoredShare stored;
        ProtocolFailure lock;
        try {
            stored = shares.loadCurrent(keysetId);
            lock = stored == null ? null : locks.current(keysetId);
        } catch (RuntimeException e) {
            return new Lookup(null, persistence("reading share/lock of " + keysetId, e));
        }
        if (stored == null) {
            return new Lookup(null, new SignerFailure(SignerFailureKind.NOT_LOADED,
                    "keyset " + keysetId + " has no share"));
        }
        StoreResult<P1KeyShare> opened = EncryptedShareStore.open(stored.blob(), keysetId, kek);
        if (!opened.isSuccess()) {
            return new Lookup(null, new SignerFailure(SignerFailureKind.STORED_BLOB_INVALID,
                    "stored share of " + keysetId + ": " + opened.failure()));
        }
        if (opened.value().epoch() != stored.epoch()) {
            return new Lookup(null, new SignerFailure(SignerFailureKind.STORED_BLOB_INVALID,
                    "stored share of " + keysetId + " has another epoch than its row"));
        }
        P1KeyHolder loaded = P1KeyHolder.restore(opened.value(), lock);
        P1KeyHolder raced = holders.putIfAbsent(keysetId, loaded);
        return new Lookup(raced != null ? raced : loaded, null);
    }

    // ---- keygen (docs/protocol.md §4) ------------------------------------------------------------------------

    /** K1 for a new keyset; refused with KEYSET_EXISTS if the keyset already has a share. */
    public Outcome<KeygenP1.State, KeysetInfo> keygenStart(String keysetId, byte[] sessionId, Env env) {
        requireArgs(keysetId, env);
        try {
            if (holders.containsKey(keysetId) || shares.loadCurrent(keysetId) != null) {
                return failed(SignerFailureKind.KEYSET_EXISTS, "keyset " + keysetId + " already has a share");
            }
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("reading share of " + keysetId, e));
        }
        return keygenOutcome(keysetId, KeygenP1.start(sessionId, env));
    }

    /** Feeds K2 (returns K3), then K4 (returns Done once the share is sealed, saved and loaded). */
    public Outcome<KeygenP1.State, KeysetInfo> keygenNext(ProtocolSession<KeygenP1.State> session, byte[] inbound,
            Env env) {
        requireSession(session, env);
        return keygenOutcome(session.keysetId, KeygenP1.next(session.state, inbound, env));
    }

    private Outcome<KeygenP1.State, KeysetInfo> keygenOutcome(String keysetId, Step<KeygenP1.State, P1KeyShare> step) {
        return switch (step) {
            case Step.Continue<KeygenP1.State, P1KeyShare> c ->
                    new Outcome.Continue<>(new ProtocolSession<>(keysetId, null, c.state()), c.outbound());
            case Step.Aborted<KeygenP1.State, P1KeyShare> a -> new Outcome.Aborted<>(a.failure());
            case Step.Done<KeygenP1.State, P1KeyShare> d -> {
                P1KeyShare share = d.result();
                byte[] blob = EncryptedShareStore.seal(share, keysetId, kek, random);
                try {
                    shares.save(keysetId, share.epoch(), blob);
                } catch (PersistenceException.Conflict e) {
                    yield failed(SignerFailureKind.KEYSET_EXISTS, "keyset " + keysetId + " already has a share");
                } catch (RuntimeException e) {
                    yield new Outcome.Failed<>(persistence("saving the new share of " + keysetId, e));
                }
                P1KeyHolder holder = new P1KeyHolder(share);
                holders.put(keysetId, holder);
                yield new Outcome.Done<>(info(keysetId, holder), d.outbound());
            }
        };
    }

    // ---- refresh (docs/protocol.md §6) -----------------------------------------------------------------------

    /** R1 on the keyset's current share; allowed on a locked key (this is how a lock is recovered). */
    public Outcome<RefreshP1.State, KeysetInfo> refreshStart(String keysetId, byte[] sessionId, Env env) {
        requireArgs(keysetId, env);
        Lookup l = lookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Failed<>(l.failure);
        }
        return refreshOutcome(keysetId, l.holder, RefreshP1.start(l.holder.share(), sessionId, env));
    }

    /**
     * Feeds R2 (returns R3), then R4. On completion, in this order: the new epoch is sealed and replaces the old one
     * atomically; presignatures of older epochs are dropped; the lock is cleared; the new unlocked key is installed.
     * If a step fails the outcome is Failed and the key stays locked (if it was): before the replace, old share and
     * lock are untouched; after it, the new share is installed still carrying the stored lock.
     */
    public Outcome<RefreshP1.State, KeysetInfo> refreshNext(ProtocolSession<RefreshP1.State> session,
            byte[] inbound, Env env) {
        requireSession(session, env);
        return refreshOutcome(session.keysetId, session.holder, RefreshP1.next(session.state, inbound, env));
    }

    private Outcome<RefreshP1.State, KeysetInfo> refreshOutcome(String keysetId, P1KeyHolder old,
            Step<RefreshP1.State, P1KeyShare> step) {
        return switch (step) {
            case Step.Continue<RefreshP1.State, P1KeyShare> c ->
                    new Outcome.Continue<>(new ProtocolSession<>(keysetId, old, c.state()), c.outbound());
            case Step.Aborted<RefreshP1.State, P1KeyShare> a -> new Outcome.Aborted<>(a.failure());
            case Step.Done<RefreshP1.State, P1KeyShare> d -> finishRefresh(keysetId, old, d.result(), d.outbound());
        };
    }

    private synchronized Outcome<RefreshP1.State, KeysetInfo> finishRefresh(String keysetId, P1KeyHolder old,
            P1KeyShare next, byte[] outbound) {
        if (holders.get(keysetId) != old) {
            return failed(SignerFailureKind.STALE_SESSION, "keyset " + keysetId + " changed during the refresh");
        }
        byte[] blob = EncryptedShareStore.seal(next, keysetId, kek, random);
        try {
            shares.replaceEpoch(keysetId, old.share().epoch(), next.epoch(), blob);
        } catch (PersistenceException.Conflict e) {
            return failed(SignerFailureKind.EPOCH_CONFLICT, "keyset " + keysetId + " is no longer at epoch "
                    + old.share().epoch() + "; old share and lock unchanged");
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("replacing the share of " + keysetId
                    + " (old share and lock unchanged)", e));
        }
        // The new epoch is durable: from here on the new share is the key, still locked until the lock is cleared.
        ProtocolFailure lock = old.lockCause();
        try {
            presignatures.dropBefore(keysetId, next.epoch());
            locks.clear(keysetId);
        } catch (RuntimeException e) {
            ProtocolFailure stored;
            try {
                stored = locks.current(keysetId);
            } catch (RuntimeException e2) {
                stored = lock;
            }
            holders.put(keysetId, P1KeyHolder.restore(next, stored != null ? stored : lock));
            return new Outcome.Failed<>(persistence("new share of " + keysetId + " stored, but dropping old "
                    + "presignatures or clearing the lock failed (key stays locked if it was)", e));
        }
        P1KeyHolder holder = new P1KeyHolder(next);
        holders.put(keysetId, holder);
        return new Outcome.Done<>(info(keysetId, holder), outbound);
    }

    // ---- presign (docs/protocol.md §5.1) ---------------------------------------------------------------------

    /** S1 of a presignature for the keyset (refused with KEY_LOCKED on a locked key). */
    public Outcome<PresignP1.AwaitingNonce, String> presignStart(String keysetId, byte[] sessionId, Env env) {
        requireArgs(keysetId, env);
        Lookup l = lookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Failed<>(l.failure);
        }
        return switch (l.holder.presignStart(sessionId, env)) {
            case Step.Continue<PresignP1.AwaitingNonce, P1Presignature> c ->
                    new Outcome.Continue<>(new ProtocolSession<>(keysetId, l.holder, c.state()), c.outbound());
            case Step.Aborted<PresignP1.AwaitingNonce, P1Presignature> a -> new Outcome.Aborted<>(a.failure());
            case Step.Done<PresignP1.AwaitingNonce, P1Presignature> d ->
                    throw new IllegalStateException("presign finished at S1");
        };
    }

    /**
     * Feeds S2. On success P1's presignature is sealed (MPCP v1) and stored before round S3 is returned in
     * {@link Outcome.Done} with the presignature id (64 hex characters) as result.
     */
    public Outcome<PresignP1.AwaitingNonce, String> presignNext(ProtocolSession<PresignP1.AwaitingNonce> session,
            byte[] inbound) {
        if (session == null || session.state == null) {
            throw new IllegalArgumentException("a running session is required");
        }
        P1KeyHolder holder = session.holder;
        return switch (holder.presignNext(session.state, inbound)) {
            case Step.Continue<PresignP1.AwaitingNonce, P1Presignature> c ->
                    throw new IllegalStateException("presign continued after S3");
            case Step.Aborted<PresignP1.AwaitingNonce, P1Presignature> a ->
                    new Outcome.Aborted<>(a.failure());
            case Step.Done<PresignP1.AwaitingNonce, P1Presignature> d -> {
                if (holders.get(session.keysetId) != holder) {
                    yield failed(SignerFailureKind.STALE_SESSION,
                            "keyset " + session.keysetId + " changed during presign; S3 not released");
                }
                P1Presignature presig = d.result();
                byte[] blob = PresignatureStore.seal(presig, session.keysetId, holder.share().epoch(), kek, random);
                try {
                    presignatures.store(session.keysetId, presig.idHex(), holder.share().epoch(), blob);
                } catch (RuntimeException e) {
                    yield new Outcome.Failed<>(persistence("storing presignature of " + session.keysetId
                            + "; S3 not released", e));
                }
                yield new Outcome.Done<>(presig.idHex(), d.outbound());
            }
        };
    }

    // ---- online (docs/protocol.md §5.2) ----------------------------------------------------------------------

    /**
     * Online signing with stored presignature {@code presignatureId} and P2's O1 message, in this order: the permit
     * is verified ({@link Outcome.PermitRefused}; nothing else happens); a locked key is refused (KEY_LOCKED, the
     * presignature stays stored until a refresh drops it); the presignature is taken out of the repository (durably
     * deleted, whatever happens next); then P1 finishes with the permit's signing hash. A KEY_COMPROMISE_RISK
     * failure is stored in the {@link LockRepository} and reported to the {@link LockListener}.
     */
    public Outcome<Void, EcdsaSignature> online(String keysetId, String presignatureId, byte[] permitBytes,
            byte[] permitSignature, byte[] o1, Env env) {
        requireArgs(keysetId, env);
        if (presignatureId == null) {
            throw new IllegalArgumentException("presignature id is required");
        }
        PermitResult checked = permits.verify(permitBytes, permitSignature, keysetId);
        if (!checked.isSuccess()) {
            return new Outcome.PermitRefused<>(checked.failure());
        }
        VerifiedPermit permit = checked.permit();
        Lookup l = lookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Failed<>(l.failure);
        }
        P1KeyHolder holder = l.holder;
        if (holder.locked()) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.KEY_LOCKED, "O2", null,
                    "key is locked after a failed signature; an operator must refresh or rotate it"));
        }
        byte[] blob;
        try {
            blob = presignatures.take(keysetId, presignatureId);
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("taking presignature " + presignatureId
                    + " (treat it as consumed)", e));
        }
        if (blob == null) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                    "no unused presignature with this id"));
        }
        StoreResult<P1Presignature> opened = PresignatureStore.open(blob, keysetId, presignatureId, kek);
        if (!opened.isSuccess()) {
            return failed(SignerFailureKind.STORED_BLOB_INVALID, "stored presignature: " + opened.failure());
        }
        try {
            holder.addPresignature(opened.value());
        } catch (IllegalArgumentException e) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                    "presignature is void: " + e.getMessage()));
        }
        Step<Void, EcdsaSignature> step = holder.online(presignatureId, permit.signingHash(), o1, env);
        return switch (step) {
            case Step.Done<Void, EcdsaSignature> d -> new Outcome.Done<>(d.result(), null);
            case Step.Continue<Void, EcdsaSignature> c -> throw new IllegalStateException("online continued");
            case Step.Aborted<Void, EcdsaSignature> a -> {
                SignerFailure notStored = persistLock(keysetId, a.failure());
                yield notStored == null ? new Outcome.Aborted<>(a.failure()) : new Outcome.Failed<>(notStored);
            }
        };
    }

    /** Ids of the keyset's stored presignatures. */
    public java.util.List<String> presignatureIds(String keysetId) {
        return presignatures.ids(keysetId);
    }

    // ---- SIGN (docs/protocol.md §5.3) ------------------------------------------------------------------------

    /**
     * Starts SIGN session {@code sessionId} (32 bytes) on {@code keysetId} under a permit: the permit is verified
     * (and its nonce consumed) first; then P1's round S1 is produced for the permit's signing hash.
     */
    public SignResult signStart(String keysetId, byte[] sessionId, byte[] permitBytes, byte[] permitSignature,
            Env env) {
        requireArgs(keysetId, env);
        PermitResult checked = permits.verify(permitBytes, permitSignature, keysetId);
        if (!checked.isSuccess()) {
            return new SignResult.PermitRefused(checked.failure());
        }
        VerifiedPermit permit = checked.permit();
        Lookup l = lookup(keysetId);
        if (l.holder == null) {
            return new SignResult.Aborted(new ProtocolFailure(FailureKind.INVALID_PARAMETER, "S1", null,
                    "keyset " + keysetId + " is not loaded (" + l.failure + ")"));
        }
        Step<SignP1.State, EcdsaSignature> step = l.holder.signStart(sessionId, permit.signingHash(), env);
        return toResult(new SignSession(keysetId, l.holder, permit.permit(), null), step);
    }

    /** Feeds P2's next message (round 2, then round 4) into {@code session}. */
    public SignResult signNext(SignSession session, byte[] inbound, Env env) {
        if (session == null || session.state == null || env == null) {
            throw new IllegalArgumentException("a running session and env are required");
        }
        Step<SignP1.State, EcdsaSignature> step = session.holder.signNext(session.state, inbound, env);
        return toResult(session, step);
    }

    private SignResult toResult(SignSession session, Step<SignP1.State, EcdsaSignature> step) {
        return switch (step) {
            case Step.Continue<SignP1.State, EcdsaSignature> c -> new SignResult.Continue(
                    new SignSession(session.keysetId, session.holder, session.permit, c.state()), c.outbound());
            case Step.Done<SignP1.State, EcdsaSignature> d -> new SignResult.Signed(d.result());
            case Step.Aborted<SignP1.State, EcdsaSignature> a -> {
                SignerFailure notStored = persistLock(session.keysetId, a.failure());
                yield notStored == null ? new SignResult.Aborted(a.failure())
                        : new SignResult.Failed(notStored, a.failure());
            }
        };
    }

    // ---- internals ------------------------------------------------------------------------------------------

    /**
     * For a key-locking failure: stores the lock, then tells the listener (whose exceptions propagate). Returns a
     * failure if the lock could not be stored (the in-memory key is locked anyway), else null.
     */
    private SignerFailure persistLock(String keysetId, ProtocolFailure failure) {
        if (!failure.locksKey()) {
            return null;
        }
        SignerFailure notStored = null;
        try {
            locks.lock(keysetId, failure);
        } catch (RuntimeException e) {
            notStored = persistence("storing the lock of " + keysetId + " after " + failure.kind()
                    + " (key locked in memory only)", e);
        }
        lockListener.keyLocked(keysetId, failure);
        return notStored;
    }

    private static SignerFailure persistence(String what, RuntimeException e) {
        return new SignerFailure(SignerFailureKind.PERSISTENCE_FAILED, what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() != null ? " (" + e.getMessage() + ")" : ""));
    }

    private static <S, R> Outcome<S, R> failed(SignerFailureKind kind, String reason) {
        return new Outcome.Failed<>(new SignerFailure(kind, reason));
    }

    private static void requireArgs(String keysetId, Env env) {
        if (keysetId == null || env == null) {
            throw new IllegalArgumentException("keyset id and env are required");
        }
    }

    private static void requireSession(ProtocolSession<?> session, Env env) {
        if (session == null || session.state == null || env == null) {
            throw new IllegalArgumentException("a running session and env are required");
        }
    }

    private static KeysetInfo info(String keysetId, P1KeyHolder h) {
        return new KeysetInfo(keysetId, h.share().epoch(), h.share().publicKey(), h.locked());
    }

    @Override
    public String toString() {
        return "BankSigner[" + holders.size() + " keysets, " + kek + "]";
    }
}
