package org.mpcwallet.signer;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.core.Result;
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
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenCache;
import org.mpcwallet.signer.permit.PermitFailure;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.VerifiedPermit;
import org.mpcwallet.signer.spi.InMemoryLockRepository;
import org.mpcwallet.signer.spi.InMemoryPresignatureRepository;
import org.mpcwallet.signer.spi.InMemoryShareRepository;
import org.mpcwallet.signer.spi.LockRepository;
import org.mpcwallet.signer.spi.InMemoryHighWater;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.PresignatureHighWater;
import org.mpcwallet.signer.spi.PresignatureRepository;
import org.mpcwallet.signer.spi.ShareRepository;
import org.mpcwallet.signer.spi.StoredShare;
import org.mpcwallet.signer.spi.SweepAuthorization;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.PresignatureStore;
import org.mpcwallet.signer.store.StoreFailure;

/**
 * The bank's in-process P1 party (docs/bank-design.md, docs/bank-signer.md): one {@link P1KeyHolder} per keyset and
 * every P1 protocol behind narrow persistence ports.
 *
 * <ul>
 *   <li>keygen and refresh: the new share is sealed under the KEK and stored ({@link ShareRepository}) before the
 *       result is released; a locked key is never refreshed (it is retired for good; recovery is rotation);</li>
 *   <li>presign: P1's half is sealed (MPCP v1) and stored ({@link PresignatureRepository}) before round S3 is
 *       released;</li>
 *   <li>online and SIGN: the permit is verified first and the hash signed is the permit's; online takes the
 *       presignature out of the repository (durably deleted) before using it;</li>
 *   <li>a KEY_COMPROMISE_RISK failure locks the in-memory holder, is stored in the {@link LockRepository} and then
 *       reported to the {@link LockListener}.</li>
 * </ul>
 * A keyset not in memory is loaded on first use from the repositories (share and lock), so a new instance over the
 * same repositories continues where the old one stopped. Thread-safe.
 *
 * <p>Why one class of this size: it is the one facade in front of P1's key shares, and every path that decrypts with
 * a share — SIGN round 4, online signing, refresh — goes through its key-lock, epoch and decryption-marker checks;
 * keeping those paths in one class keeps the checks visible together (docs/protocol.md §6.4).
 */
public final class BankSigner {
    private final KeyEncryptionKey kek;
    private final PermitVerifier permits;
    private final ShareRepository shares;
    private static final System.Logger LOG = System.getLogger(BankSigner.class.getName());
    private final PresignatureRepository presignatures;
    private final LockRepository locks;
    private final LockListener lockListener;
    private final SecureRandom random;
    private final ProvenRingPedersen ringPedersen;
    private final PresignatureHighWater highWater;
    /** Devices' ring-Pedersen parameters that passed Π^prm in this process (checked once per device, not per keygen). */
    private final RingPedersenCache deviceParameters = new RingPedersenCache();
    private final Map<String, P1KeyHolder> holders = new ConcurrentHashMap<>();

    /** A signer with in-memory repositories (load + SIGN use, tests). */
    public BankSigner(KeyEncryptionKey kek, PermitVerifier permits, LockListener lockListener,
            ProvenRingPedersen ringPedersen) {
        this(kek, permits, new InMemoryShareRepository(), new InMemoryPresignatureRepository(),
                new InMemoryLockRepository(), lockListener, new SecureRandom(), ringPedersen);
    }

    /**
     * @param ringPedersen the signer's own proven ring-Pedersen parameters ({@link BankRingPedersen}), sent to the
     *     device at keygen and refresh; P2 proves its signing ciphertexts under them
     */
    public BankSigner(KeyEncryptionKey kek, PermitVerifier permits, ShareRepository shares,
            PresignatureRepository presignatures, LockRepository locks, LockListener lockListener,
            SecureRandom random, ProvenRingPedersen ringPedersen) {
        this(kek, permits, shares, presignatures, locks, lockListener, random, ringPedersen, new InMemoryHighWater());
    }

    /**
     * @param highWater the presignature ledger's furthest mark, kept outside the database ({@code FileHighWater} in
     *     production): a restored database whose ledger is behind it has every stored presignature dropped before
     *     one could be used twice (docs/operations.md "Restoring a database backup")
     */
    public BankSigner(KeyEncryptionKey kek, PermitVerifier permits, ShareRepository shares,
            PresignatureRepository presignatures, LockRepository locks, LockListener lockListener,
            SecureRandom random, ProvenRingPedersen ringPedersen, PresignatureHighWater highWater) {
        if (highWater == null) {
            throw new IllegalArgumentException("a presignature high-water mark is required");
        }
        this.highWater = highWater;
        if (kek == null || permits == null || shares == null || presignatures == null || locks == null
                || lockListener == null || random == null || ringPedersen == null) {
            throw new IllegalArgumentException("KEK, permit verifier, repositories, lock listener, random and "
                    + "ring-Pedersen parameters are required");
        }
        this.ringPedersen = ringPedersen;
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
    public Result<KeysetInfo, StoreFailure> load(String keysetId, byte[] blob, ProtocolFailure storedLockCause) {
        if (storedLockCause != null && !storedLockCause.locksKey()) {
            throw new IllegalArgumentException("only a KEY_COMPROMISE_RISK failure locks a key");
        }
        Result<P1KeyShare, StoreFailure> opened = EncryptedShareStore.open(blob, keysetId, kek);
        if (!opened.isOk()) {
            return Result.err(opened.failure());
        }
        P1KeyHolder holder = P1KeyHolder.restore(opened.value(), storedLockCause);
        holders.put(keysetId, holder);
        return Result.ok(info(keysetId, holder));
    }

    /**
     * Public facts about a keyset as storage has them now (loaded or reloaded from the repositories when the cached key
     * is of another epoch, e.g. after a refresh through another instance), or null if there is none.
     */
    public KeysetInfo keyset(String keysetId) {
        Lookup l = currentLookup(keysetId);
        if (l.holder == null) {
            return null;
        }
        ProtocolFailure lock;
        SweepAuthorization sweep;
        try {
            lock = locks.current(keysetId);
            sweep = lock == null ? null : locks.sweep(keysetId);
        } catch (RuntimeException e) {
            // informational only: every decision reads storage again (checkStorage, checkSweep)
            lock = null;
            sweep = null;
        }
        return new KeysetInfo(keysetId, l.holder.share().epoch(), l.holder.share().publicKey(),
                l.holder.locked() || lock != null, sweep);
    }

    // ---- rotation of a locked key (docs/key-rotation.md) ----------------------------------------------------

    /**
     * Authorizes {@code signatures} sweep signatures on a locked keyset, all paying {@code to} (the address of the
     * wallet that replaces it): the only signatures a locked key still makes. When the last one is taken the key is
     * retired for good. Refused (Aborted, KEY_LOCKED) for a key that is not locked, is retired, or already has
     * another target.
     */
    public Outcome<Void, KeysetInfo> authorizeSweep(String keysetId, String to, int signatures) {
        if (keysetId == null || to == null || !to.matches("0x[0-9a-fA-F]{40}") || signatures < 1
                || signatures > MAX_SWEEP_SIGNATURES) {
            throw new IllegalArgumentException("keyset id, a 0x address and 1.." + MAX_SWEEP_SIGNATURES
                    + " signatures are required");
        }
        Lookup l = currentLookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Failed<>(l.failure);
        }
        try {
            locks.authorizeSweep(keysetId, to.toLowerCase(java.util.Locale.ROOT), signatures);
        } catch (PersistenceException.Conflict e) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.KEY_LOCKED, "sweep", null,
                    "a sweep is authorized only on a locked key that is not retired, and always to the same address"));
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("authorizing the sweep of " + keysetId, e));
        }
        return new Outcome.Done<>(keyset(keysetId), null);
    }

    /** The most sweep signatures one authorization grants (one per asset the retired wallet holds, and retries). */
    public static final int MAX_SWEEP_SIGNATURES = 64;

    private record Lookup(P1KeyHolder holder, SignerFailure failure) {}

    /**
     * {@link #lookup}, but a cached key whose epoch is no longer the stored one (refreshed through another instance)
     * is dropped and the current share loaded, so a session starts on the current epoch instead of failing later at
     * {@link #checkStorage}. A key installed with {@link #load} and absent from the share repository stays as it is.
     */
    private Lookup currentLookup(String keysetId) {
        P1KeyHolder cached = holders.get(keysetId);
        if (cached != null) {
            try {
                StoredShare stored = shares.loadCurrent(keysetId);
                if (stored != null && stored.epoch() != cached.share().epoch()) {
                    holders.remove(keysetId, cached);
                }
            } catch (RuntimeException e) {
                return new Lookup(null, persistence("reading the share of " + keysetId, e));
            }
        }
        return lookup(keysetId);
    }

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
        Result<P1KeyShare, StoreFailure> opened = EncryptedShareStore.open(stored.blob(), keysetId, kek);
        if (!opened.isOk()) {
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
    public Outcome<ProtocolSession<KeygenP1.State>, KeysetInfo> keygenStart(String keysetId, byte[] sessionId,
            Env env) {
        requireArgs(keysetId, env);
        try {
            if (holders.containsKey(keysetId) || shares.loadCurrent(keysetId) != null) {
                return failed(SignerFailureKind.KEYSET_EXISTS, "keyset " + keysetId + " already has a share");
            }
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("reading share of " + keysetId, e));
        }
        return keygenOutcome(keysetId, KeygenP1.start(sessionId, ringPedersen, deviceParameters, env));
    }

    /** Feeds K2 (returns K3), then K4 (returns Done once the share is sealed, saved and loaded). */
    public Outcome<ProtocolSession<KeygenP1.State>, KeysetInfo> keygenNext(ProtocolSession<KeygenP1.State> session,
            byte[] inbound, Env env) {
        requireSession(session, env);
        return keygenOutcome(session.keysetId, KeygenP1.next(session.state, inbound, env));
    }

    private Outcome<ProtocolSession<KeygenP1.State>, KeysetInfo> keygenOutcome(String keysetId,
            Step<KeygenP1.State, P1KeyShare> step) {
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

    /**
     * R1 on the keyset's current share. Refused with KEY_LOCKED on a locked key, whether this instance or another
     * one (read from the lock repository now) locked it: a locked key is retired for good (docs/protocol.md §6.4).
     */
    public Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> refreshStart(String keysetId, byte[] sessionId,
            Env env) {
        requireArgs(keysetId, env);
        Lookup l = currentLookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Failed<>(l.failure);
        }
        ProtocolFailure stored;
        try {
            stored = locks.current(keysetId);
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("reading the lock of " + keysetId, e));
        }
        if (stored != null) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.KEY_LOCKED, "R1", null,
                    "key is retired after a failed signature; it cannot be refreshed, only rotated"));
        }
        return refreshOutcome(keysetId, l.holder, l.holder.refreshStart(sessionId, ringPedersen, deviceParameters,
                env));
    }

    /**
     * Feeds R2 (returns R3), then R4. On completion, in this order: the lock repository is read again (a key locked
     * meanwhile, here or on another instance, is not refreshed); the new epoch is sealed and replaces the old one
     * atomically; presignatures of older epochs are dropped; the new key is installed. If a step fails the outcome
     * is Failed: before the replace, the old share is untouched. A lock is never cleared.
     */
    public Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> refreshNext(ProtocolSession<RefreshP1.State> session,
            byte[] inbound, Env env) {
        requireSession(session, env);
        return refreshOutcome(session.keysetId, session.holder, RefreshP1.next(session.state, inbound, env));
    }

    private Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> refreshOutcome(String keysetId, P1KeyHolder old,
            Step<RefreshP1.State, P1KeyShare> step) {
        return switch (step) {
            case Step.Continue<RefreshP1.State, P1KeyShare> c ->
                    new Outcome.Continue<>(new ProtocolSession<>(keysetId, old, c.state()), c.outbound());
            case Step.Aborted<RefreshP1.State, P1KeyShare> a -> new Outcome.Aborted<>(a.failure());
            case Step.Done<RefreshP1.State, P1KeyShare> d -> finishRefresh(keysetId, old, d.result(), d.outbound());
        };
    }

    private synchronized Outcome<ProtocolSession<RefreshP1.State>, KeysetInfo> finishRefresh(String keysetId,
            P1KeyHolder old, P1KeyShare next, byte[] outbound) {
        if (holders.get(keysetId) != old) {
            return failed(SignerFailureKind.STALE_SESSION, "keyset " + keysetId + " changed during the refresh");
        }
        try {
            if (locks.current(keysetId) != null) {
                return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.KEY_LOCKED, "R5", null,
                        "key was retired during the refresh; the old share stays, nothing was replaced"));
            }
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("reading the lock of " + keysetId, e));
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
        // The new epoch is durable: from here on the new share is the key.
        try {
            presignatures.dropBefore(keysetId, next.epoch());
        } catch (RuntimeException e) {
            holders.put(keysetId, new P1KeyHolder(next));
            return new Outcome.Failed<>(persistence("new share of " + keysetId + " stored, but dropping old "
                    + "presignatures failed (they belong to the old epoch and are refused)", e));
        }
        P1KeyHolder holder = new P1KeyHolder(next);
        holders.put(keysetId, holder);
        return new Outcome.Done<>(info(keysetId, holder), outbound);
    }

    // ---- presign (docs/protocol.md §5.1) ---------------------------------------------------------------------

    /** S1 of a presignature for the keyset (refused with KEY_LOCKED on a locked key). */
    public Outcome<ProtocolSession<PresignP1.AwaitingNonce>, String> presignStart(String keysetId, byte[] sessionId,
            Env env) {
        requireArgs(keysetId, env);
        Lookup l = currentLookup(keysetId);
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
    public Outcome<ProtocolSession<PresignP1.AwaitingNonce>, String> presignNext(
            ProtocolSession<PresignP1.AwaitingNonce> session, byte[] inbound) {
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
                trimPool(session.keysetId);
                yield new Outcome.Done<>(presig.idHex(), d.outbound());
            }
        };
    }

    /**
     * The most unused presignatures the signer keeps per keyset (docs/presign-online.md): storing one more drops the
     * oldest. It bounds what a device, or a compromised bank-server, can make the signer store, and what halves
     * orphaned by a device that never stored its own cost.
     */
    public static final int MAX_PRESIGNATURES = 32;

    /** Drops the keyset's oldest presignatures beyond {@link #MAX_PRESIGNATURES}; a failure is retried next time. */
    private void trimPool(String keysetId) {
        try {
            presignatures.keepNewest(keysetId, MAX_PRESIGNATURES);
        } catch (RuntimeException e) {
            // the new presignature is stored and S3 may be released; the next presign trims the pool again
            LOG.log(System.Logger.Level.WARNING, "trimming the presignature pool of " + keysetId + " failed ("
                    + e.getClass().getSimpleName() + "); retried at the next presign");
        }
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
        Result<VerifiedPermit, PermitFailure> checked = permits.verify(permitBytes, permitSignature, keysetId);
        if (!checked.isOk()) {
            return new Outcome.PermitRefused<>(checked.failure());
        }
        VerifiedPermit permit = checked.value();
        Lookup l = currentLookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Failed<>(l.failure);
        }
        P1KeyHolder holder = l.holder;
        if (holder.locked()) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.KEY_LOCKED, "O2", null,
                    "key is retired after a failed signature; an operator must rotate it"));
        }
        StorageCheck checked2 = checkStorage(keysetId, holder, "O2");
        if (checked2.failure() != null) {
            return new Outcome.Failed<>(checked2.failure());
        }
        if (checked2.refusal() != null) {
            return new Outcome.Aborted<>(checked2.refusal());
        }
        byte[] blob;
        try {
            PresignatureRepository.Taken taken = presignatures.take(keysetId, presignatureId, highWater.read());
            // the mark is durable before the presignature is used: a crash in between leaves it unused
            highWater.advance(taken.mark());
            if (taken.rolledBack()) {
                return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                        "the signer's database is behind the presignatures this signer already used (restored from "
                                + "a backup): every stored presignature was dropped (restore epoch "
                                + taken.mark().restoreEpoch() + "); presign again"));
            }
            blob = taken.blob();
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("taking presignature " + presignatureId
                    + " (treat it as consumed)", e));
        }
        if (blob == null) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                    "no unused presignature with this id"));
        }
        Result<P1Presignature, StoreFailure> opened = PresignatureStore.open(blob, keysetId, presignatureId, kek);
        if (!opened.isOk()) {
            return failed(SignerFailureKind.STORED_BLOB_INVALID, "stored presignature: " + opened.failure());
        }
        try {
            holder.addPresignature(opened.value());
        } catch (IllegalArgumentException e) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.PRESIGNATURE_UNAVAILABLE, "O2", null,
                    "presignature is void: " + e.getMessage()));
        }
        try {
            locks.beginDecryption(keysetId, presignatureId);
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("storing the decryption marker of " + keysetId
                    + " (nothing was decrypted; the presignature counts as consumed)", e));
        }
        Step<Void, EcdsaSignature> step = holder.online(presignatureId, permit.signingHash(), o1, env);
        return switch (step) {
            case Step.Done<Void, EcdsaSignature> d -> {
                endDecryption(keysetId, presignatureId);
                yield new Outcome.Done<>(d.result(), null);
            }
            case Step.Continue<Void, EcdsaSignature> c -> throw new IllegalStateException("online continued");
            case Step.Aborted<Void, EcdsaSignature> a -> {
                SignerFailure notStored = persistLock(keysetId, a.failure());
                if (notStored == null) {
                    endDecryption(keysetId, presignatureId);
                }
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
    public Outcome<SignSession, EcdsaSignature> signStart(String keysetId, byte[] sessionId, byte[] permitBytes,
            byte[] permitSignature, Env env) {
        requireArgs(keysetId, env);
        Result<VerifiedPermit, PermitFailure> checked = permits.verify(permitBytes, permitSignature, keysetId);
        if (!checked.isOk()) {
            return new Outcome.PermitRefused<>(checked.failure());
        }
        VerifiedPermit permit = checked.value();
        Lookup l = currentLookup(keysetId);
        if (l.holder == null) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.INVALID_PARAMETER, "S1", null,
                    "keyset " + keysetId + " is not loaded (" + l.failure + ")"));
        }
        ProtocolFailure stored;
        SweepAuthorization sweep;
        try {
            stored = locks.current(keysetId);
            sweep = stored == null && !l.holder.locked() ? null : locks.sweep(keysetId);
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("reading the lock of " + keysetId, e));
        }
        if (stored == null && !l.holder.locked()) {
            Step<SignP1.State, EcdsaSignature> step = l.holder.signStart(sessionId, permit.signingHash(), env);
            return toResult(new SignSession(keysetId, l.holder, permit.permit(), null, false), step);
        }
        String refused = SweepCheck.refusal(sweep, permit.permit());
        if (refused != null) {
            return new Outcome.Aborted<>(new ProtocolFailure(FailureKind.KEY_LOCKED, "S1", null, refused));
        }
        Step<SignP1.State, EcdsaSignature> step = l.holder.sweepStart(sessionId, permit.signingHash(), env);
        return toResult(new SignSession(keysetId, l.holder, permit.permit(), null, true), step);
    }

    /**
     * Feeds P2's next message (round 2, then round 4) into {@code session}. Before round 4, which decrypts, the key's
     * lock, interrupted decryptions and current epoch are read from storage ({@link #checkStorage}) and a decryption
     * marker is stored; it is removed once the attempt ended with a verified signature or without a decryption.
     */
    public Outcome<SignSession, EcdsaSignature> signNext(SignSession session, byte[] inbound, Env env) {
        if (session == null || session.state == null || env == null) {
            throw new IllegalArgumentException("a running session and env are required");
        }
        if (!(session.state instanceof SignP1.AwaitingCiphertext last)) {
            return toResult(session, session.holder.signNext(session.state, inbound, env));
        }
        StorageCheck checked = session.sweep ? checkSweep(session) : checkStorage(session.keysetId, session.holder,
                "O2");
        if (checked.failure() != null) {
            return new Outcome.Failed<>(checked.failure());
        }
        if (checked.refusal() != null) {
            return new Outcome.Aborted<>(checked.refusal());
        }
        String marker = org.mpcwallet.crypto.core.Bytes.toHex(last.sid());
        try {
            locks.beginDecryption(session.keysetId, marker);
        } catch (RuntimeException e) {
            return new Outcome.Failed<>(persistence("storing the decryption marker of " + session.keysetId
                    + " (nothing was decrypted)", e), null);
        }
        Outcome<SignSession, EcdsaSignature> result = toResult(session,
                session.holder.signNext(session.state, inbound, env));
        if (result instanceof Outcome.Done || result instanceof Outcome.Aborted) {
            endDecryption(session.keysetId, marker);
        }
        return result;
    }

    private Outcome<SignSession, EcdsaSignature> toResult(SignSession session,
            Step<SignP1.State, EcdsaSignature> step) {
        return switch (step) {
            case Step.Continue<SignP1.State, EcdsaSignature> c -> new Outcome.Continue<>(
                    new SignSession(session.keysetId, session.holder, session.permit, c.state(), session.sweep),
                    c.outbound());
            case Step.Done<SignP1.State, EcdsaSignature> d -> new Outcome.Done<>(d.result(), null);
            case Step.Aborted<SignP1.State, EcdsaSignature> a -> {
                SignerFailure notStored = persistLock(session.keysetId, a.failure());
                yield notStored == null ? new Outcome.Aborted<>(a.failure())
                        : new Outcome.Failed<>(notStored, a.failure());
            }
        };
    }

    // ---- internals ------------------------------------------------------------------------------------------

    /** A decryption marker older than this many seconds was interrupted (crash, database error): the key locks. */
    public static final int INTERRUPTED_DECRYPTION_SECONDS = 30;

    /** What {@link #checkStorage} found: nothing (both null), a refusal of the step, or a storage failure. */
    private record StorageCheck(ProtocolFailure refusal, SignerFailure failure) {}

    /**
     * docs/protocol.md §6.4, checklist row 18: before every decryption the key's state is read from storage, not
     * from this instance's memory. A lock written by any instance, a decryption marker left behind by an interrupted
     * decryption (which locks the key now), or another current share epoch (a refresh on another instance) refuses
     * the step before anything is decrypted.
     */
    private StorageCheck checkStorage(String keysetId, P1KeyHolder holder, String step) {
        try {
            ProtocolFailure lock = locks.current(keysetId);
            if (lock == null && locks.interrupted(keysetId, INTERRUPTED_DECRYPTION_SECONDS)) {
                ProtocolFailure cause = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, step, null,
                        "a decryption with this key was interrupted before its signature verified (crash or "
                                + "database error)");
                locks.lock(keysetId, cause);
                lockListener.keyLocked(keysetId, cause);
                lock = locks.current(keysetId);
            }
            if (lock != null) {
                holders.put(keysetId, P1KeyHolder.restore(holder.share(), lock));
                return new StorageCheck(new ProtocolFailure(FailureKind.KEY_LOCKED, step, null,
                        "key is retired after a failed signature; an operator must rotate it"), null);
            }
            StoredShare current = shares.loadCurrent(keysetId);
            // (a key installed with load() whose share is not in the repository has no stored epoch to compare)
            if (current != null && current.epoch() != holder.share().epoch()) {
                holders.remove(keysetId, holder);
                return new StorageCheck(new ProtocolFailure(FailureKind.INCONSISTENT_STATE, step, null,
                        "the key's share epoch changed in storage (refreshed elsewhere); start a new session"), null);
            }
            return new StorageCheck(null, null);
        } catch (RuntimeException e) {
            return new StorageCheck(null, persistence("reading the state of " + keysetId
                    + " before decrypting (nothing was decrypted)", e));
        }
    }

    /**
     * The storage check before a sweep's decryption (docs/key-rotation.md): the authorization is read again, the
     * permit's transaction must still pay its target only, the share epoch must be the stored one, and one sweep
     * signature is taken durably (the last one retires the key in the same write).
     */
    private StorageCheck checkSweep(SignSession session) {
        try {
            String refused = SweepCheck.refusal(locks.sweep(session.keysetId), session.permit);
            if (refused != null) {
                return new StorageCheck(new ProtocolFailure(FailureKind.KEY_LOCKED, "O2", null, refused), null);
            }
            StoredShare current = shares.loadCurrent(session.keysetId);
            if (current != null && current.epoch() != session.holder.share().epoch()) {
                return new StorageCheck(new ProtocolFailure(FailureKind.INCONSISTENT_STATE, "O2", null,
                        "the key's share epoch changed in storage; start a new session"), null);
            }
            if (!locks.takeSweep(session.keysetId)) {
                return new StorageCheck(new ProtocolFailure(FailureKind.KEY_LOCKED, "O2", null,
                        "no sweep signature is left for this key; it is retired"), null);
            }
            return new StorageCheck(null, null);
        } catch (RuntimeException e) {
            return new StorageCheck(null, persistence("reading the sweep authorization of " + session.keysetId
                    + " before decrypting (nothing was decrypted)", e));
        }
    }

    /** Removes a decryption marker; if that fails the marker stays and the key locks later (the safe side). */
    private void endDecryption(String keysetId, String marker) {
        try {
            locks.endDecryption(keysetId, marker);
        } catch (RuntimeException e) {
            // deliberately left: an orphaned marker locks the key once it is older than the threshold
        }
    }

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
