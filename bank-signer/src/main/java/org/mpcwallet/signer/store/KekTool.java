package org.mpcwallet.signer.store;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Command line: {@code java org.mpcwallet.signer.store.KekTool generate <file>} writes a fresh KEK as 64 hex
 * characters and a newline to a new file with mode 600 (owner read/write only), refusing to overwrite an existing
 * file, and prints the KEK id. Exit codes: 0 done, 1 failed, 2 usage.
 */
public final class KekTool {
    private KekTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Testable entry point; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("generate")) {
            err.println("usage: KekTool generate <file>");
            return 2;
        }
        Path file = Path.of(args[1]);
        try {
            KeyEncryptionKey kek = generate(file, new SecureRandom());
            out.println("wrote KEK " + kek.id() + " to " + file);
            kek.destroy();
            return 0;
        } catch (FileAlreadyExistsException e) {
            err.println("refusing to overwrite existing file " + file);
            return 1;
        } catch (IOException | UnsupportedOperationException e) {
            err.println("cannot write " + file + ": " + e.getMessage());
            return 1;
        }
    }

    /** Writes a fresh KEK to a new file with owner-only permissions (POSIX mode 600) and returns it. */
    public static KeyEncryptionKey generate(Path file, SecureRandom random) throws IOException {
        KeyEncryptionKey kek = KeyEncryptionKey.generate(random);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        char[] hex = kek.toHexChars();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            w.write(hex);
            w.write('\n');
        } finally {
            Arrays.fill(hex, '\0');
        }
        return kek;
    }
}
