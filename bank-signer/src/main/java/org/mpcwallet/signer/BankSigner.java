package org.mpcwallet.signer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.SignP1;
import org.mpcwallet.signer.permit.PermitResult;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.VerifiedPermit;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.store.StoreResult;

/**
 * The bank's in-process P1 party (docs/bank-design.md): one {@link P1KeyHolder} per keyset, loaded from the
 * encrypted share store, and the 4-message SIGN flow (docs/protocol.md §5.3) behind a signing permit.
 *
 * <ul>
 *   <li>{@link #signStart} verifies the permit first; nothing protocol-related happens without a valid one, and the
 *       message hash signed is the one the permit verifier recomputed from the transaction;</li>
 *   <li>when a step fails with a failure that {@linkplain ProtocolFailure#locksKey() locks the key}, the holder
 *       stays locked and the {@link LockListener} is told, so the server can persist the lock;</li>
 *   <li>{@link #load} restores a persisted lock through {@link P1KeyHolder#restore}.</li>
 * </ul>
 * Thread-safe. No I/O of its own: transport and persistence belong to the caller.
 */
public final class BankSigner {
    private final KeyEncryptionKey kek;
    private final PermitVerifier permits;
    private final LockListener lockListener;
    private final Map<String, P1KeyHolder> holders = new ConcurrentHashMap<>();

    public BankSigner(KeyEncryptionKey kek, PermitVerifier permits, LockListener lockListener) {
        if (kek == null || permits == null || lockListener == null) {
            throw new IllegalArgumentException("KEK, permit verifier and lock listener are required");
        }
        this.kek = kek;
        this.permits = permits;
        this.lockListener = lockListener;
    }

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

    /** Public facts about a loaded keyset, or null if it is not loaded. */
    public KeysetInfo keyset(String keysetId) {
        P1KeyHolder h = holders.get(keysetId);
        return h == null ? null : info(keysetId, h);
    }

    /**
     * Starts SIGN session {@code sessionId} (32 bytes) on {@code keysetId} under a permit: the permit is verified
     * (and its nonce consumed) first; then P1's round S1 is produced for the permit's signing hash.
     */
    public SignResult signStart(String keysetId, byte[] sessionId, byte[] permitBytes, byte[] permitSignature,
            Env env) {
        if (keysetId == null || env == null) {
            throw new IllegalArgumentException("keyset id and env are required");
        }
        PermitResult checked = permits.verify(permitBytes, permitSignature, keysetId);
        if (!checked.isSuccess()) {
            return new SignResult.PermitRefused(checked.failure());
        }
        VerifiedPermit permit = checked.permit();
        P1KeyHolder holder = holders.get(keysetId);
        if (holder == null) {
            return new SignResult.Aborted(new ProtocolFailure(FailureKind.INVALID_PARAMETER, "S1", null,
                    "keyset " + keysetId + " is not loaded"));
        }
        Step<SignP1.State, EcdsaSignature> step = holder.signStart(sessionId, permit.signingHash(), env);
        return toResult(new SignSession(keysetId, holder, permit.permit(), null), step);
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
                if (a.failure().locksKey()) {
                    lockListener.keyLocked(session.keysetId, a.failure());
                }
                yield new SignResult.Aborted(a.failure());
            }
        };
    }

    private static KeysetInfo info(String keysetId, P1KeyHolder h) {
        return new KeysetInfo(keysetId, h.share().epoch(), h.share().publicKey(), h.locked());
    }

    @Override
    public String toString() {
        return "BankSigner[" + holders.size() + " keysets, " + kek + "]";
    }
}
