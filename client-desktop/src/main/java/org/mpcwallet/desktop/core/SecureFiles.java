package org.mpcwallet.desktop.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Private files on a POSIX file system: directories mode 700, files mode 600 from the moment they exist, replaced
 * atomically. A write goes to a temporary file in the target's directory (created with mode 600, so the bytes are
 * never readable by others, whatever the umask), is fsynced, then renamed over the target with ATOMIC_MOVE, and the
 * directory is fsynced so the rename survives a crash. A reader sees the old file or the new one, never a mix.
 */
public final class SecureFiles {
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {}

    /** Creates {@code dir} (and parents) if needed and sets it to mode 700. */
    public static Path privateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(DIR_MODE);
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(dir, attr);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(dir)) {
                        throw new WalletException(dir + " exists and is not a directory");
                    }
                }
            }
            if (Files.isSymbolicLink(dir)) {
                throw new WalletException(dir + " is a symbolic link; refusing to keep keys there");
            }
            Files.setPosixFilePermissions(dir, DIR_MODE);
            return dir;
        } catch (UnsupportedOperationException e) {
            throw new WalletException("the file system of " + dir + " has no POSIX permissions; cannot keep keys there");
        } catch (IOException e) {
            throw new WalletException("cannot create the private directory " + dir + ": " + e.getMessage());
        }
    }

    /** Writes {@code data} to {@code target} atomically with mode 600; the directory must exist. */
    public static void writeAtomically(Path target, byte[] data) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(FILE_MODE));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, FILE_MODE);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new WalletException("the file system of " + dir + " cannot rename atomically");
            }
            tmp = null;
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new WalletException("cannot write " + target + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file has mode 600 and holds only what the target would have held
                }
            }
        }
    }

    /**
     * Renames {@code source} over {@code target} (same directory) with ATOMIC_MOVE and fsyncs the directory: a reader
     * sees the old target or the source's bytes, never a mix; on failure the target is untouched.
     */
    public static void replaceAtomically(Path source, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new WalletException(source + " is not a regular file");
            }
            Files.setPosixFilePermissions(source, FILE_MODE);
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new WalletException("the file system of " + dir + " cannot rename atomically");
        } catch (IOException e) {
            throw new WalletException("cannot replace " + target + ": " + e.getMessage());
        }
        fsyncDirectory(dir);
    }

    /** Reads a regular file that must not be a symbolic link and must not be larger than {@code maxBytes}. */
    public static byte[] read(Path file, long maxBytes) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new WalletException(file + " is not a regular file");
            }
            if (Files.size(file) > maxBytes) {
                throw new WalletException(file + " is larger than " + maxBytes + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WalletException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Deletes {@code file} (if it is there) and fsyncs its directory, so that once this returns the file is gone
     * even after a crash: what a single-use secret needs before it is spent (docs/presign-online.md "Stage 3").
     * Unlike the writes above, a directory that cannot be synced is a failure here (WalletException): the caller
     * must not spend the secret on a delete that a power cut could undo.
     */
    public static void deleteDurably(Path file) {
        if (!delete(file)) {
            throw new WalletException("deleted " + file.getFileName() + " but cannot sync "
                    + file.toAbsolutePath().getParent() + ": the delete may not survive a crash");
        }
    }

    /**
     * Deletes {@code file} (if it is there) and syncs its directory where the file system allows: for files that are
     * dropped rather than spent (a pool discarded, a dead process's claim), where a delete a crash undid would only
     * leave a file that is never used. Returns whether the directory was synced.
     */
    public static boolean delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new WalletException("cannot delete " + file + ": " + e.getMessage());
        }
        return fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /** Whether the directory's entries were synced (some file systems refuse to open a directory). */
    private static boolean fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (IOException e) {
            return false; // for a write, the rename itself already happened
        }
    }
}
