package org.mpcwallet.desktop.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * The device's presignatures at rest (docs/presign-online.md "Stage 3"): per wallet a directory
 * {@code <dataDir>/presignatures/<walletId>/} (mode 700) with one file per presignature, {@code <id hex>.presig}
 * (mode 600, written atomically and fsynced), each a record of shared-crypto's {@link PresignatureRecords} sealed
 * under the wallet's pool key. At most {@link #TARGET} per wallet.
 *
 * <p>A presignature is single use: {@link #take} deletes its file durably (the directory fsynced) before handing it
 * out, so it is gone from disk before its O1 can leave the device; a crash after that loses one presignature and
 * never reuses it. Deleting needs no key. A record that does not open under the pool key it is offered (another
 * wallet's, another key epoch's, a vault re-sealed since, a modified file) is deleted as it is met.
 */
public final class PresignaturePool {
    /** How many presignatures the device keeps per wallet; a top-up never goes beyond. */
    public static final int TARGET = 4;
    private static final String SUFFIX = ".presig";
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\" + SUFFIX);

    private final Path root;

    public PresignaturePool(Path dataDir) {
        this.root = dataDir.resolve("presignatures");
    }

    /** The wallet's directory (which may not exist). */
    public Path directory(String walletId) {
        ShareStore.requireWalletId(walletId);
        return root.resolve(walletId);
    }

    /** The wallet's record files, sorted by name (files with other names are not the pool's and are left alone). */
    public List<Path> files(String walletId) {
        Path dir = directory(walletId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new WalletException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    public int count(String walletId) {
        return files(walletId).size();
    }

    /**
     * Writes one sealed record of {@code walletId} as {@code <id>.presig} (atomic, mode 600, fsynced). Returns false
     * and writes nothing when the pool already holds {@link #TARGET}. A record naming another wallet is refused.
     */
    public boolean add(String walletId, byte[] record) {
        Result<PresignatureRecords.Parsed, VaultFailure> parsed = PresignatureRecords.parse(record);
        if (!parsed.isOk() || !parsed.value().walletId().equals(walletId)) {
            throw new IllegalArgumentException("not a presignature record of wallet " + walletId);
        }
        if (count(walletId) >= TARGET) {
            return false;
        }
        Path dir = directory(walletId);
        SecureFiles.privateDirectory(root.getParent());
        SecureFiles.privateDirectory(root);
        SecureFiles.privateDirectory(dir);
        SecureFiles.writeAtomically(dir.resolve(parsed.value().presignatureIdHex() + SUFFIX), record);
        return true;
    }

    /**
     * The first record of the wallet that opens under {@code poolKey} for the key {@code keyFingerprint}, its file
     * already deleted durably; null when none does. Records that do not open are deleted on the way, each said to
     * {@code said} (by file name and reason; no secret).
     */
    public P2Presignature take(String walletId, byte[] poolKey, byte[] keyFingerprint, Consumer<String> said) {
        for (Path f : files(walletId)) {
            Result<P2Presignature, VaultFailure> opened;
            try {
                opened = PresignatureRecords.open(poolKey, SecureFiles.read(f,
                        PresignatureRecords.MAX_RECORD_BYTES), walletId, keyFingerprint);
            } catch (WalletException e) {
                opened = null; // not a regular file, or too large: not a record of ours
            }
            SecureFiles.deleteDurably(f);
            if (opened != null && opened.isOk()) {
                return opened.value();
            }
            said.accept("discarded presignature " + f.getFileName() + " of wallet " + walletId + ": "
                    + (opened == null ? "not a readable record" : opened.failure().reason()));
        }
        return null;
    }

    /** Deletes every presignature of the wallet (a refresh, a restore, the bank's pool reset) and its directory. */
    public void discard(String walletId) {
        Path dir = directory(walletId);
        for (Path f : files(walletId)) {
            SecureFiles.deleteDurably(f);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (a file not ours) or already gone: the presignatures themselves are deleted
        }
    }
}
