package org.mpcwallet.desktop.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mpcwallet.crypto.core.Bytes;
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
 *
 * <p>Several processes may share one data directory (the window and the command-line wallet, two windows) and one
 * process may co-sign two transfers at once. Two co-signings must never use the same presignature: O1s of two
 * messages under one nonce give the bank the whole key (docs/presign-online.md "Single use on the device"). So a take
 * first <em>claims</em> a record by renaming it, atomically, to a name only the claiming process uses
 * ({@code .<id>.presig.claimed-<pid>-<n>-<random>}); of two processes that raced for a record exactly one rename
 * succeeds, and the other moves on to the next record. Only the claimer reads it and deletes it. A claim left by a
 * process that has died (killed between the rename and the delete) is deleted by the next take or discard, never
 * used; a top-up holds the wallet's {@code .topup.lock} (an OS file lock), so two processes never fill one pool at
 * once.
 */
public final class PresignaturePool {
    /** How many presignatures the device keeps per wallet; a top-up never goes beyond. */
    public static final int TARGET = 4;
    private static final String SUFFIX = ".presig";
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\" + SUFFIX);
    /** A claimed record: {@code .<id>.presig.claimed-<pid>-<n>-<128 random bits>}. */
    private static final Pattern CLAIMED = Pattern.compile("\\.[0-9a-f]{64}\\" + SUFFIX
            + "\\.claimed-(\\d+)-\\d+-[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong CLAIMS = new AtomicLong();
    private static final String TOP_UP_LOCK = ".topup.lock";
    /** The top-up locks this process holds (absolute paths). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

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
        return named(walletId, NAME);
    }

    /** The files of the wallet's directory whose names match {@code names}, sorted (none without the directory). */
    private List<Path> named(String walletId, Pattern names) {
        Path dir = directory(walletId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> names.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new WalletException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** The wallet's directory, created owner-only (with its parents) if missing. */
    private Path privateDirectory(String walletId) {
        Path dir = directory(walletId);
        SecureFiles.privateDirectory(root.getParent());
        SecureFiles.privateDirectory(root);
        SecureFiles.privateDirectory(dir);
        return dir;
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
        if (Files.exists(dir.resolve(parsed.value().presignatureIdHex() + SUFFIX), LinkOption.NOFOLLOW_LINKS)) {
            // the id is the bank's session id: a bank that hands one out twice does not get an unused record of it
            // replaced (top-ups of one wallet hold its lock, so nothing writes between this check and the write)
            throw new IllegalStateException("the pool already holds presignature "
                    + parsed.value().presignatureIdHex() + " of wallet " + walletId + "; the bank reused its id");
        }
        privateDirectory(walletId);
        SecureFiles.writeAtomically(dir.resolve(parsed.value().presignatureIdHex() + SUFFIX), record);
        return true;
    }

    /**
     * The first record of the wallet that opens under {@code poolKey} for the key {@code keyFingerprint}, claimed by
     * this call alone and its file already deleted durably; null when none does. Records that do not open are deleted
     * on the way, each said to {@code said} (by file name and reason; no secret); a record another process or thread
     * claimed first is skipped.
     */
    public P2Presignature take(String walletId, byte[] poolKey, byte[] keyFingerprint, Consumer<String> said) {
        deleteDeadClaims(walletId);
        for (Path f : files(walletId)) {
            Path claimed = claim(f);
            if (claimed == null) {
                continue; // another co-signing has it
            }
            Result<P2Presignature, VaultFailure> opened;
            try {
                opened = PresignatureRecords.open(poolKey, SecureFiles.read(claimed,
                        PresignatureRecords.MAX_RECORD_BYTES), walletId, keyFingerprint);
            } catch (WalletException e) {
                opened = null; // not a regular file, or too large: not a record of ours
            }
            try {
                SecureFiles.deleteDurably(claimed);
            } catch (WalletException e) {
                // not durably gone: a crash could bring it back, so it is not used (the co-signing goes with SIGN)
                said.accept("presignature " + f.getFileName() + " of wallet " + walletId + " not used: "
                        + e.getMessage());
                return null;
            }
            if (opened != null && opened.isOk()) {
                return opened.value();
            }
            said.accept("discarded presignature " + f.getFileName() + " of wallet " + walletId + ": "
                    + (opened == null ? "not a readable record" : opened.failure().reason()));
        }
        return null;
    }

    /** Renames {@code file} to this process's claim name; null when it is gone (another claimer was first). */
    private static Path claim(Path file) {
        Path claimed = file.resolveSibling("." + file.getFileName() + ".claimed-" + PID + "-"
                + CLAIMS.incrementAndGet() + "-" + Bytes.toHex(token()));
        try {
            Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
            return claimed;
        } catch (NoSuchFileException e) {
            return null;
        } catch (AtomicMoveNotSupportedException e) {
            throw new WalletException("the file system of " + file.getParent() + " cannot rename atomically");
        } catch (IOException e) {
            throw new WalletException("cannot claim " + file + ": " + e.getMessage());
        }
    }

    /**
     * 128 random bits in every claim name: a rename onto an existing name replaces it silently, and two processes in
     * different PID namespaces sharing a data directory could otherwise pick the same pid and counter.
     */
    private static byte[] token() {
        byte[] t = new byte[16];
        RANDOM.nextBytes(t);
        return t;
    }

    /** Deletes claims whose process is no longer alive (it died between its claim and its delete). */
    private void deleteDeadClaims(String walletId) {
        for (Path f : claims(walletId)) {
            Matcher m = CLAIMED.matcher(f.getFileName().toString());
            if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                SecureFiles.delete(f);
            }
        }
    }

    private static boolean alive(long pid) {
        return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The wallet's claimed records (of any process). */
    List<Path> claims(String walletId) {
        return named(walletId, CLAIMED);
    }

    /**
     * The wallet's top-up lock, held until closed; null when another process or thread holds it (a top-up is
     * already running there). Creates the wallet's directory. Threads of this process are kept apart by
     * {@link #HELD} before any channel is opened: on Linux closing any descriptor of a file drops the process's
     * POSIX lock on it, so a second channel must never be opened (and closed) beside a held one.
     */
    public TopUpLock lockTopUp(String walletId) {
        Path dir = privateDirectory(walletId);
        Path file = dir.resolve(TOP_UP_LOCK).toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            return null; // a thread of this process holds it
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            FileLock lock = ch.tryLock();
            if (lock == null) {
                closeQuietly(ch);
                HELD.remove(file);
                return null; // another process holds it
            }
            FileChannel held = ch;
            return () -> {
                closeQuietly(held); // closing the channel releases the lock
                HELD.remove(file);
            };
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            HELD.remove(file);
            if (e instanceof OverlappingFileLockException) {
                return null;
            }
            throw new WalletException("cannot lock " + file + ": " + e.getMessage());
        }
    }

    /** A held top-up lock; {@link #close} releases it. */
    public interface TopUpLock extends AutoCloseable {
        @Override
        void close();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing held
            }
        }
    }

    /** Deletes every presignature of the wallet (a refresh, a restore, the bank's pool reset) and its directory. */
    public void discard(String walletId) {
        Path dir = directory(walletId);
        for (Path f : files(walletId)) {
            SecureFiles.delete(f);
        }
        deleteDeadClaims(walletId); // a live claim is its claimer's to delete
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (TopUpLock idle = lockTopUp(walletId)) {
                    if (idle != null) { // no top-up is running: its lock file goes with the directory
                        Files.deleteIfExists(dir.resolve(TOP_UP_LOCK));
                    }
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (a file not ours) or already gone: the presignatures themselves are deleted
        }
    }
}
