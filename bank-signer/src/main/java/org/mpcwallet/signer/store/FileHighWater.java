package org.mpcwallet.signer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.mpcwallet.signer.spi.LedgerMark;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.PresignatureHighWater;

/**
 * {@link PresignatureHighWater} in a small file outside the database (next to the signer's other local state), one
 * line {@code MPCH v1 <restoreEpoch> <taken>}. Written to a temporary file, forced to disk and renamed over the old
 * one, so a crash leaves the old or the new mark, never half a line. A missing file is no mark (first start); a file
 * that does not parse is a {@link PersistenceException} (the signer refuses to take presignatures rather than guess).
 */
public final class FileHighWater implements PresignatureHighWater {
    private static final String MAGIC = "MPCH v1 ";
    private final Path file;

    public FileHighWater(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file required");
        }
        this.file = file.toAbsolutePath().normalize();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized LedgerMark read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new PersistenceException("reading the presignature high-water mark " + file + " failed", e);
        }
        String[] parts = text.strip().split(" ");
        if (!text.startsWith(MAGIC) || parts.length != 4) {
            throw new PersistenceException("the presignature high-water mark " + file + " is malformed");
        }
        try {
            return new LedgerMark(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new PersistenceException("the presignature high-water mark " + file + " is malformed");
        }
    }

    @Override
    public synchronized void advance(LedgerMark mark) {
        LedgerMark now = read();
        if (now != null && !mark.ahead(now)) {
            return;
        }
        byte[] line = (MAGIC + mark.restoreEpoch() + " " + mark.taken() + "\n").getBytes(StandardCharsets.US_ASCII);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(line));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PersistenceException("writing the presignature high-water mark " + file + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "FileHighWater[" + file + "]";
    }
}
