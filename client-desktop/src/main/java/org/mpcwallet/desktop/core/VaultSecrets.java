package org.mpcwallet.desktop.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.device.VaultUnlock;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultFailureKind;

/**
 * Which secret seals and opens the device's vault files (docs/vault-format.md "Which secret seals the vault"): every
 * file this device writes is sealed with the <b>wallet secret</b>, which never leaves the device; a file from before
 * the wallet secret existed is sealed with the login password and is re-sealed with the wallet secret the first time
 * it is opened (the migration). The decision is shared-crypto's pure rule {@link VaultUnlock}; this class does the
 * rest around it: the files ({@link ShareStore}), the marks ({@link VaultMarks}), the cryptography and the notices.
 * Every command that opens a share goes through {@link #openVault} / {@link #openNext} (or {@link #unlock} for an
 * envelope that is not on the device, such as a backup's).
 *
 * <p>A re-seal writes the new envelope to a temporary file (mode 600), fsyncs it and renames it over the old file
 * ({@link ShareStore#replace}): the old file stays intact until the rename, and a crash leaves the old or the new
 * file, never a mix. The new envelope's mark is written just before the rename (it names an envelope no file holds
 * yet, which is harmless if the rename never happens), so no crash leaves a re-sealed file without its mark; a file
 * without one (copied by hand, or marked by another process at the same moment) still opens by the rule's fallback.
 *
 * <p>Opening or sealing a P2 vault also yields the wallet's presignature pool key from the same PBKDF2 run
 * (shared-crypto {@link PresignatureRecords}, docs/vault-format.md section 13). Every new envelope of a wallet (a
 * migration's re-seal, a restore, a keygen) has a new salt and so a new pool key: the wallet's
 * {@link PresignaturePool} is discarded then, since its records would no longer open.
 */
public final class VaultSecrets {
    private final ShareStore store;
    private final VaultMarks marks;
    private final Consumer<String> notices;
    private final PresignaturePool pool;

    /** {@code notices} receives what the user must be told (a migration, a restored mark); never a secret. */
    public VaultSecrets(ShareStore store, Consumer<String> notices) {
        this.store = store;
        this.marks = new VaultMarks(store.dataDir());
        this.notices = notices;
        this.pool = new PresignaturePool(store.dataDir());
    }

    /** The device's presignatures, next to the vault files. */
    public PresignaturePool pool() {
        return pool;
    }

    /** What {@code notices} hears (what the user must be told). */
    public Consumer<String> notices() {
        return notices;
    }

    /** A share opened from its file and the wallet's pool key for that file's envelope (the caller wipes it). */
    public record Opened(P2KeyShare share, byte[] poolKey) {
        @Override
        public String toString() {
            return "Opened[share=redacted, poolKey=redacted]";
        }
    }

    public ShareStore store() {
        return store;
    }

    public VaultMarks marks() {
        return marks;
    }

    /** A share opened by the rule, the rule's last step (what to re-seal, mark and say), and the pool key. */
    public record Unlocked(P2KeyShare share, VaultUnlock.Opened how, byte[] poolKey) {
        @Override
        public String toString() {
            return "Unlocked[share=redacted, how=" + how + ", poolKey=redacted]";
        }
    }

    /** Whether {@code envelope} is marked as sealed with the wallet secret. */
    public boolean isMarked(byte[] envelope) {
        return marks.isMarked(envelope);
    }

    /**
     * Opens the wallet's {@code <walletId>.vault} by the rule and does what it says: a legacy file opened with the
     * login password is re-sealed with the wallet secret and marked; an unmarked file the wallet secret opens gets
     * its mark back. A refusal is a {@link WalletException} with the rule's message, and nothing is written.
     */
    public P2KeyShare openVault(String walletId, DeviceSecrets secrets) {
        Opened o = openVaultWithPoolKey(walletId, secrets);
        Bytes.wipe(o.poolKey());
        return o.share();
    }

    /** {@link #openVault} with the wallet's pool key for the file as it is after the open (re-sealed or not). */
    public Opened openVaultWithPoolKey(String walletId, DeviceSecrets secrets) {
        Path f = store.file(walletId);
        if (!Files.exists(f)) {
            throw new WalletException("no share for wallet " + walletId + " in " + store.directory()
                    + " (created on another device? restore a backup)");
        }
        return open(f, walletId, secrets);
    }

    /** {@link #openVault} for {@code <walletId>.vault.next} (left by a refresh); null when there is none. */
    public P2KeyShare openNext(String walletId, DeviceSecrets secrets) {
        Opened o = openNextWithPoolKey(walletId, secrets);
        if (o == null) {
            return null;
        }
        Bytes.wipe(o.poolKey());
        return o.share();
    }

    /** {@link #openNext} with the pool key of the {@code .vault.next}'s envelope; null when there is none. */
    public Opened openNextWithPoolKey(String walletId, DeviceSecrets secrets) {
        Path f = store.nextFile(walletId);
        return Files.exists(f) ? open(f, walletId, secrets) : null;
    }

    private Opened open(Path file, String walletId, DeviceSecrets secrets) {
        byte[] envelope = store.read(file);
        Unlocked u = unlock(walletId, envelope, marks.isMarked(envelope), secrets);
        if (u.how().openedWith() == VaultUnlock.Secret.WALLET_SECRET) {
            secrets.walletSecretOpenedAVault();
        }
        return new Opened(u.share(), apply(file, walletId, envelope, u, secrets));
    }

    /**
     * Runs the rule over one envelope ({@code marked} as the device's metadata or a backup says) with the secrets,
     * asking for each only when the rule tries it; writes nothing. A refusal or a damaged envelope is a
     * {@link WalletException}.
     */
    public Unlocked unlock(String walletId, byte[] envelope, boolean marked, DeviceSecrets secrets) {
        List<VaultUnlock.Attempt> attempts = new ArrayList<>();
        P2KeyShare share = null;
        byte[] poolKey = null;
        while (true) {
            VaultUnlock.Step step = VaultUnlock.next(marked, attempts);
            if (step instanceof VaultUnlock.Opened opened) {
                return new Unlocked(share, opened, poolKey);
            }
            if (step instanceof VaultUnlock.Refused refused) {
                throw new WalletException(refused.message(walletId));
            }
            VaultUnlock.Secret which = ((VaultUnlock.Try) step).secret();
            char[] secret = which == VaultUnlock.Secret.LOGIN_PASSWORD ? secrets.loginPassword()
                    : secrets.walletSecret();
            if (secret == null) {
                attempts.add(new VaultUnlock.Attempt(which, VaultUnlock.Outcome.UNAVAILABLE));
                continue;
            }
            Result<PresignatureRecords.OpenedVault, VaultFailure> r =
                    PresignatureRecords.openVault(secret, envelope, walletId, Party.P2);
            if (r.isOk()) {
                share = ShareStore.decodeOpened(walletId, r.value().share());
                Bytes.wipe(poolKey);
                poolKey = r.value().poolKey();
                attempts.add(new VaultUnlock.Attempt(which, VaultUnlock.Outcome.OPENED));
            } else if (r.failure().kind() == VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED) {
                attempts.add(new VaultUnlock.Attempt(which, VaultUnlock.Outcome.WRONG));
            } else {
                throw new WalletException(ShareStore.explain(walletId, r.failure()));
            }
        }
    }

    /**
     * Does what an unlock of {@code file} (holding {@code envelope}) said: re-seal with the wallet secret (mark, then
     * atomic replace; said before and after; the wallet's pool discarded), or restore the envelope's mark (said).
     * Returns the pool key of the file as it is now.
     */
    byte[] apply(Path file, String walletId, byte[] envelope, Unlocked u, DeviceSecrets secrets) {
        if (u.how().reseal()) {
            notices.accept(VaultUnlock.migrating(walletId));
            char[] walletSecret;
            try {
                walletSecret = sealingSecret(secrets);
            } catch (WalletException e) {
                throw new WalletException(e.getMessage() + "; the share of wallet " + walletId + " was not re-sealed "
                        + "(nothing was written)");
            }
            PresignatureRecords.SealedVault sealed = store.sealWithPoolKey(walletId, u.share(), walletSecret);
            mark(sealed.envelope());
            pool.discard(walletId);
            store.replace(file, sealed.envelope());
            notices.accept(VaultUnlock.migrated(walletId));
            Bytes.wipe(u.poolKey());
            return sealed.poolKey();
        }
        if (u.how().mark()) {
            mark(envelope);
            notices.accept(VaultUnlock.markRestored(walletId));
        }
        return u.poolKey();
    }

    /**
     * The wallet secret to seal a file with. When no vault on the device is marked yet it is being set: asked twice,
     * at least 12 characters, not the login password at hand ({@link DeviceSecrets#newWalletSecret}). Otherwise it is
     * entered once and must open a vault the device has sealed with it, so that a typo never seals a share under a
     * secret nobody knows. A refusal is a {@link WalletException}; nothing is written.
     */
    public char[] sealingSecret(DeviceSecrets secrets) {
        if (secrets.walletSecretVerified()) {
            return secrets.walletSecret();
        }
        List<Path> marked = markedFiles(Set.of());
        if (marked.isEmpty()) {
            return secrets.newWalletSecret();
        }
        requireDeviceSecret(secrets, marked);
        return secrets.walletSecret();
    }

    /**
     * Whether this device has a wallet secret already: a vault sealed with it. When not, the next keygen sets it
     * (typed twice, {@link #sealingSecret}).
     */
    public boolean secretIsSet() {
        return !markedFiles(Set.of()).isEmpty();
    }

    /**
     * Checks that the wallet secret opens a vault this device sealed with the wallet secret, other than those of
     * {@code replacedWallets} (about to be replaced); nothing to check when there is none.
     */
    public void requireDeviceSecret(DeviceSecrets secrets, Set<String> replacedWallets) {
        List<Path> marked = markedFiles(replacedWallets);
        if (!marked.isEmpty()) {
            requireDeviceSecret(secrets, marked);
        }
    }

    private void requireDeviceSecret(DeviceSecrets secrets, List<Path> marked) {
        char[] secret = secrets.walletSecret();
        String firstWallet = null;
        for (Path f : marked) {
            byte[] envelope = store.read(f);
            VaultMarks.Key key = VaultMarks.keyOf(envelope);
            Result<byte[], VaultFailure> r = ShareVault.open(secret, envelope, key.walletId(), Party.P2);
            if (r.isOk()) {
                Bytes.wipe(r.value());
                secrets.walletSecretOpenedAVault();
                return;
            }
            if (firstWallet == null) {
                firstWallet = key.walletId();
            }
        }
        throw new WalletException("this is not the wallet secret of this device: it does not open the share of "
                + "wallet " + firstWallet + ", which is sealed with the device's wallet secret");
    }

    /** The device's vault files whose envelope is marked, except those of {@code exceptWallets}. */
    private List<Path> markedFiles(Set<String> exceptWallets) {
        Set<VaultMarks.Key> keys = marks.load();
        List<Path> out = new ArrayList<>();
        if (keys.isEmpty()) {
            return out;
        }
        for (Path f : store.allVaultFiles()) {
            VaultMarks.Key k = VaultMarks.keyOf(store.read(f));
            if (k != null && keys.contains(k) && !exceptWallets.contains(k.walletId())) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Seals a new share (a keygen's) with {@code walletSecret} (from {@link #sealingSecret}), marks it and writes
     * {@code <walletId>.vault}; never replaces an existing share. Returns the new envelope's pool key (the caller
     * wipes it).
     */
    public byte[] saveNew(String walletId, P2KeyShare share, char[] walletSecret) {
        if (store.exists(walletId)) {
            throw new WalletException("a share for wallet " + walletId + " already exists; not replacing it");
        }
        PresignatureRecords.SealedVault sealed = store.sealWithPoolKey(walletId, share, walletSecret);
        mark(sealed.envelope());
        pool.discard(walletId);
        store.install(walletId, sealed.envelope(), false);
        return sealed.poolKey();
    }

    /**
     * Seals a refreshed share with {@code walletSecret}, marks it and writes {@code <walletId>.vault.next}. Returns
     * its pool key (the caller wipes it), which stays valid when the file is renamed over the {@code .vault}.
     */
    public byte[] saveNext(String walletId, P2KeyShare share, char[] walletSecret) {
        PresignatureRecords.SealedVault sealed = store.sealWithPoolKey(walletId, share, walletSecret);
        mark(sealed.envelope());
        store.replace(store.nextFile(walletId), sealed.envelope());
        return sealed.poolKey();
    }

    /**
     * Installs an envelope sealed with the wallet secret as the wallet's file (a restore), marked; the wallet's
     * presignatures are discarded (they belong to the envelope replaced, maybe to another key epoch).
     */
    public void installMarked(String walletId, byte[] envelope, boolean force) {
        mark(envelope);
        pool.discard(walletId);
        store.install(walletId, envelope, force);
    }

    /**
     * Installs {@code share}, which a restore opened from an envelope still sealed with the login password, re-sealed
     * with the wallet secret and marked (the migration, said before and after).
     */
    public void installResealed(String walletId, P2KeyShare share, DeviceSecrets secrets, boolean force) {
        notices.accept(VaultUnlock.migrating(walletId));
        byte[] sealed = store.seal(walletId, share, sealingSecret(secrets));
        mark(sealed);
        pool.discard(walletId);
        store.install(walletId, sealed, force);
        notices.accept(VaultUnlock.migrated(walletId));
    }

    /** Marks {@code envelope} as sealed with the wallet secret; forgets marks of envelopes no file holds any more. */
    void mark(byte[] envelope) {
        VaultMarks.Key key = VaultMarks.keyOf(envelope);
        if (key == null) {
            throw new IllegalArgumentException("not a vault envelope");
        }
        marks.mark(key, presentKeys());
    }

    private Collection<VaultMarks.Key> presentKeys() {
        List<VaultMarks.Key> keys = new ArrayList<>();
        for (Path f : store.allVaultFiles()) {
            VaultMarks.Key k = VaultMarks.keyOf(store.read(f));
            if (k != null) {
                keys.add(k);
            }
        }
        return keys;
    }
}
