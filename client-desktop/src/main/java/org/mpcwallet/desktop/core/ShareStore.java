package org.mpcwallet.desktop.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * The user's P2 shares at rest: one file per wallet, {@code <dataDir>/wallets/<walletId>.vault}, each a share vault
 * v1 envelope (docs/vault-format.md) sealed under a secret for role P2 and the wallet id. The directory is mode 700,
 * the files mode 600, written atomically ({@link SecureFiles}). Opening never modifies a file.
 *
 * <p>This class is the file layer and takes the secret it is given: which secret seals or opens a file (the wallet
 * secret, or the login password for a legacy file), the marks and the migration are {@link VaultSecrets}'s.
 *
 * <p>A key refresh writes the new share to {@code <walletId>.vault.next} first ({@link #saveNext}, before R4 leaves
 * the device) and, once the bank confirmed the new epoch, renames it over {@code <walletId>.vault}
 * ({@link #promoteNext}, ATOMIC_MOVE). Until then the old file stays; which of the two is current is decided with
 * the bank's epoch ({@link ShareSelection}).
 */
public final class ShareStore {
    /** Wallet ids that are safe as file names (the bank's are UUIDs). */
    private static final Pattern WALLET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String SUFFIX = ".vault";
    private static final String NEXT_SUFFIX = ".vault.next";
    private static final String FAILED_SUFFIX = ".vault.failed-keygen";
    private static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

    private final Path dir;
    private final RandomSource random;

    public ShareStore(Path dataDir) {
        this(dataDir, new SecureRandom()::nextBytes);
    }

    public ShareStore(Path dataDir, RandomSource random) {
        this.dir = dataDir.resolve("wallets");
        this.random = random;
    }

    public Path directory() {
        return dir;
    }

    /** The data directory the {@code wallets} directory is in. */
    public Path dataDir() {
        return dir.getParent();
    }

    public Path file(String walletId) {
        requireWalletId(walletId);
        return dir.resolve(walletId + SUFFIX);
    }

    /** Where a refresh keeps the new share until the bank confirmed its epoch. */
    public Path nextFile(String walletId) {
        requireWalletId(walletId);
        return dir.resolve(walletId + NEXT_SUFFIX);
    }

    public boolean hasNext(String walletId) {
        return Files.exists(nextFile(walletId));
    }

    /**
     * Seals a refreshed share to {@code <walletId>.vault.next} (atomic, mode 600), replacing a {@code .next} left by
     * an earlier refresh that did not complete. Never touches {@code <walletId>.vault}.
     */
    public void saveNext(String walletId, P2KeyShare share, char[] secret) {
        replace(nextFile(walletId), seal(walletId, share, secret));
    }

    /** A new envelope of {@code share} for the wallet, sealed with {@code secret} (fresh salt and nonce). */
    public byte[] seal(String walletId, P2KeyShare share, char[] secret) {
        PresignatureRecords.SealedVault sealed = sealWithPoolKey(walletId, share, secret);
        Bytes.wipe(sealed.poolKey());
        return sealed.envelope();
    }

    /**
     * {@link #seal}, also returning the new envelope's presignature pool key (docs/vault-format.md section 13) from
     * the same PBKDF2 run; the caller wipes the key.
     */
    public PresignatureRecords.SealedVault sealWithPoolKey(String walletId, P2KeyShare share, char[] secret) {
        requireWalletId(walletId);
        byte[] plain = share.encode();
        try {
            return PresignatureRecords.sealVault(secret, walletId, Party.P2, plain, random);
        } finally {
            Bytes.wipe(plain);
        }
    }

    /**
     * Writes {@code envelope} as {@code file} (one of this store's files) atomically: a temporary file with mode 600
     * in the same directory, fsynced, renamed over {@code file}, the directory fsynced. Until the rename the old file
     * is intact; a crash leaves the old file or the new one.
     */
    public void replace(Path file, byte[] envelope) {
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("not a file of this share store");
        }
        SecureFiles.privateDirectory(dir.getParent());
        SecureFiles.privateDirectory(dir);
        SecureFiles.writeAtomically(file, envelope);
    }

    /** The bytes of one of this store's files (a regular file, not a link, at most 2 MiB). */
    public byte[] read(Path file) {
        return SecureFiles.read(file, MAX_FILE_BYTES);
    }

    /** Every vault file of the store: {@code .vault}, {@code .vault.next}, set-aside {@code .vault.failed-keygen}. */
    public List<Path> allVaultFiles() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && (n.endsWith(SUFFIX) || n.endsWith(NEXT_SUFFIX)
                        || n.endsWith(FAILED_SUFFIX)) && Files.isRegularFile(p);
            }).sorted().toList();
        } catch (IOException e) {
            throw new WalletException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Opens {@code <walletId>.vault.next}, or returns null if there is none. */
    public P2KeyShare openNext(String walletId, char[] secret) {
        Path f = nextFile(walletId);
        if (!Files.exists(f)) {
            return null;
        }
        return decode(walletId, SecureFiles.read(f, MAX_FILE_BYTES), secret);
    }

    /** Renames {@code <walletId>.vault.next} over {@code <walletId>.vault} atomically; the old file stays on failure. */
    public void promoteNext(String walletId) {
        SecureFiles.replaceAtomically(nextFile(walletId), file(walletId));
    }

    public static void requireWalletId(String walletId) {
        if (walletId == null || !WALLET_ID.matcher(walletId).matches()) {
            throw new WalletException("invalid wallet id (expected 1-128 characters of [A-Za-z0-9._-])");
        }
    }

    public boolean exists(String walletId) {
        return Files.exists(file(walletId));
    }

    /** Where {@link #setAsideFailedKeygen} moves the share of a wallet whose keygen the bank reports FAILED. */
    public Path failedKeygenFile(String walletId) {
        return dir.resolve(walletId + FAILED_SUFFIX);
    }

    /**
     * The bank reports the wallet's keygen FAILED (docs/controls-hardening.md §7): a share sealed before the keygen
     * died is no wallet's key. It is moved aside (atomically, kept, never deleted: it is still key material), so that
     * no command offers it as usable. Returns the new path.
     */
    public Path setAsideFailedKeygen(String walletId) {
        Path target = failedKeygenFile(walletId);
        SecureFiles.replaceAtomically(file(walletId), target);
        return target;
    }

    /**
     * Seals a new share and writes it. Refuses when the wallet already has a file: a keygen never replaces a share
     * (use {@link #install} with {@code force} for a deliberate restore).
     */
    public void save(String walletId, P2KeyShare share, char[] secret) {
        if (exists(walletId)) {
            throw new WalletException("a share for wallet " + walletId + " already exists; not replacing it");
        }
        install(walletId, seal(walletId, share, secret), false);
    }

    /** Opens the wallet's share with {@code secret}. Wrong secret or modified file: a clear WalletException. */
    public P2KeyShare open(String walletId, char[] secret) {
        Path f = file(walletId);
        if (!Files.exists(f)) {
            throw new WalletException("no share for wallet " + walletId + " in " + dir
                    + " (created on another device? restore a backup)");
        }
        return decode(walletId, envelope(walletId), secret);
    }

    /** The raw envelope bytes of the wallet's file (no password needed; the share inside stays encrypted). */
    public byte[] envelope(String walletId) {
        return SecureFiles.read(file(walletId), MAX_FILE_BYTES);
    }

    /** Opens an envelope (from this store or a backup) for {@code walletId}. */
    public static P2KeyShare decode(String walletId, byte[] envelope, char[] secret) {
        Result<byte[], VaultFailure> r = ShareVault.open(secret, envelope, walletId, Party.P2);
        if (!r.isOk()) {
            throw new WalletException(explain(walletId, r.failure()));
        }
        return decodeOpened(walletId, r.value());
    }

    /** The share in {@code plain}, the plaintext of the wallet's envelope, which is wiped. */
    static P2KeyShare decodeOpened(String walletId, byte[] plain) {
        try {
            return P2KeyShare.decodeFromVault(plain);
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new WalletException("the vault of wallet " + walletId + " opened but does not hold a valid share");
        } finally {
            Bytes.wipe(plain);
        }
    }

    /** Writes an envelope as the wallet's file (atomically, mode 600); replaces an existing file only with force. */
    public void install(String walletId, byte[] envelope, boolean force) {
        Path f = file(walletId);
        SecureFiles.privateDirectory(dir.getParent());
        SecureFiles.privateDirectory(dir);
        if (!force && Files.exists(f)) {
            throw new WalletException("a share for wallet " + walletId + " already exists; not replacing it");
        }
        SecureFiles.writeAtomically(f, envelope);
    }

    /** Wallet ids with a share file, sorted. */
    public List<String> walletIds() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .filter(id -> WALLET_ID.matcher(id).matches()).sorted().forEach(ids::add);
        } catch (IOException e) {
            throw new WalletException("cannot list " + dir + ": " + e.getMessage());
        }
        return ids;
    }

    static String explain(String walletId, VaultFailure f) {
        return switch (f.kind()) {
            case WRONG_PASSWORD_OR_TAMPERED -> "cannot open the share of wallet " + walletId
                    + ": wrong password, or the vault file was modified";
            case WRONG_WALLET_OR_ROLE -> "the vault file of wallet " + walletId
                    + " belongs to another wallet or party";
            case UNSUPPORTED_VERSION -> "the vault file of wallet " + walletId
                    + " has a format version this app does not know";
            case MALFORMED -> "the vault file of wallet " + walletId + " is damaged (" + f.reason() + ")";
        };
    }
}
