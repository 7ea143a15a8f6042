package org.mpcwallet.bank.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps the embedded PostgreSQL private to the bank's OS user (docs/controls-hardening.md §3):
 * <ul>
 *   <li>the bank's data directory is private (mode 700, owned by the bank's user); a directory another user owns or
 *       can write is refused, one that others can merely read is tightened to 700 with a warning;</li>
 *   <li>the binaries unpack into a private directory (default {@code <data dir>/pg-bin}, mode 700), never into the
 *       shared temporary directory;</li>
 *   <li>the superuser has a generated password kept in {@code <data dir>/postgres-password} (mode 600), and every
 *       connection, over TCP or the Unix socket, must present it ({@code scram-sha-256} in {@code pg_hba.conf});
 *       a data directory from an earlier version that trusted local connections is converted at its next start.</li>
 * </ul>
 * The password is set in PostgreSQL's single-user mode before the server ever listens, so there is no moment in
 * which the server accepts connections without it.
 */
final class PrivateEmbeddedPostgres {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateEmbeddedPostgres.class);

    static final String PASSWORD_FILE = "postgres-password";
    static final String BINARIES_DIR = "pg-bin";
    /** The first line of the pg_hba.conf the bank writes; its presence says the conversion is done. */
    static final String HBA_MARKER = "# mpc-bank: every connection authenticates with the generated password";

    private static final Set<PosixFilePermission> OTHERS_WRITE = Set.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> OTHERS_ANY = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Map<Path, String> BUNDLE_DIRS = new ConcurrentHashMap<>();

    /** The directories and the password of one embedded server, after the checks. */
    record Layout(Path root, Path dataDirectory, Path binaries, Path passwordFile, String password,
                  boolean passwordNew) {
        @Override
        public String toString() {
            return "Layout[root=" + root + ", data=" + dataDirectory + ", binaries=" + binaries + ", password=(redacted)]";
        }
    }

    /** Thrown when the bank refuses to start on an embedded database other users could reach or alter. */
    static final class UnsafeDatabaseDirectory extends IllegalStateException {
        UnsafeDatabaseDirectory(String message) {
            super(message);
        }
    }

    private PrivateEmbeddedPostgres() {
    }

    /**
     * Checks and prepares the directories and the password before the server starts.
     *
     * @param dataDirectory the PostgreSQL data directory ({@code <data dir>/postgres})
     * @param binaries      where the binaries unpack; null for {@code <data dir>/pg-bin}
     */
    static Layout prepare(Path dataDirectory, Path binaries) throws IOException {
        Path root = dataDirectory.getParent();
        makePrivateDirectory(root);
        Path bin = binaries == null ? root.resolve(BINARIES_DIR) : binaries.toAbsolutePath().normalize();
        makePrivateDirectory(bin);
        if (Files.exists(dataDirectory, LinkOption.NOFOLLOW_LINKS)) {
            requireNotAlterable(dataDirectory);
        }
        Path passwordFile = root.resolve(PASSWORD_FILE);
        boolean fresh = false;
        if (!Files.exists(passwordFile, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                Files.writeString(passwordFile, HexFormat.of().formatHex(raw) + "\n", StandardCharsets.US_ASCII);
                fresh = true;
                LOG.info("Embedded PostgreSQL: generated the superuser password in {} (mode 600)", passwordFile);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        requireOwnedAndPrivate(passwordFile, "the embedded PostgreSQL's password file",
                "remove it to have a new password generated at the next start");
        String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip();
        if (password.length() < 32) {
            throw new UnsafeDatabaseDirectory(passwordFile + " holds a password shorter than 32 characters; remove it "
                    + "to have a new one generated at the next start");
        }
        return new Layout(root, dataDirectory, bin, passwordFile, password, fresh);
    }

    /**
     * The zonky binary resolver for {@code layout}: the built-in one, as a value per binaries directory, because
     * zonky caches the unpacked location per resolver and would otherwise reuse the first location of this JVM.
     */
    static PgBinaryResolver resolverFor(Layout layout) {
        return new PrivateResolver(layout.binaries());
    }

    /** The directory zonky unpacks into: private, under {@code binaries}; zonky itself makes it writable for all. */
    static Path zonkyWorkingDirectory(Layout layout) {
        return layout.binaries().resolve("unpacked");
    }

    /**
     * Runs after initdb and before the server starts (zonky's data directory customizer): if the data directory
     * still trusts connections, or the password file is new, sets the superuser's password in single-user mode
     * and writes a pg_hba.conf that asks every connection for it.
     */
    static void secureDataDirectory(Layout layout) {
        try {
            requireNotAlterable(layout.dataDirectory());
            Path hba = layout.dataDirectory().resolve("pg_hba.conf");
            boolean converted = Files.exists(hba)
                    && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER);
            if (converted && !layout.passwordNew()) {
                return;
            }
            setPassword(layout);
            Path tmp = layout.dataDirectory().resolve("pg_hba.conf.new");
            Files.writeString(tmp, HBA_MARKER + "\n"
                    + "# Written by bank-server (docs/operations.md, \"The embedded database\"). TYPE DATABASE USER ADDRESS METHOD\n"
                    + "local   all   all                  scram-sha-256\n"
                    + "host    all   all   127.0.0.1/32   scram-sha-256\n"
                    + "host    all   all   ::1/128        scram-sha-256\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Embedded PostgreSQL: password authentication (scram-sha-256) set for every connection{}",
                    converted ? " (new password)" : "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot secure the embedded PostgreSQL in " + layout.dataDirectory(), e);
        }
    }

    /** {@code ALTER ROLE postgres PASSWORD ...} in single-user mode: no server listens while it runs. */
    private static void setPassword(Layout layout) throws IOException {
        Path postgres = postgresBinary(layout);
        List<String> cmd = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            cmd.addAll(List.of("unshare", "-U")); // as zonky does: PostgreSQL refuses to run as root
        }
        cmd.addAll(List.of(postgres.toString(), "--single", "-D", layout.dataDirectory().toString(),
                "-c", "password_encryption=scram-sha-256", "-c", "log_statement=none", "postgres"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            // the password is written to the backend's stdin, never on a command line
            in.write(("ALTER ROLE postgres PASSWORD '" + layout.password() + "';\n").getBytes(StandardCharsets.US_ASCII));
        }
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("setting the embedded PostgreSQL's password did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while setting the embedded PostgreSQL's password");
        }
        if (p.exitValue() != 0 || output.contains("ERROR:") || output.contains("FATAL:")) {
            // the output never holds the password: the statement is not echoed and log_statement is off
            throw new IllegalStateException("setting the embedded PostgreSQL's password failed (exit " + p.exitValue()
                    + "): " + output.strip().replace(layout.password(), "(redacted)"));
        }
    }

    /**
     * {@code <binaries>/unpacked/PG-<md5 of the bundle>/bin/postgres}: the name zonky gives the directory it unpacked,
     * from the digest {@link PrivateResolver} recorded while zonky read the bundle.
     */
    private static Path postgresBinary(Layout layout) {
        String name = BUNDLE_DIRS.get(layout.binaries());
        if (name == null) {
            throw new IllegalStateException("the embedded PostgreSQL binaries were not unpacked into "
                    + layout.binaries());
        }
        Path binary = zonkyWorkingDirectory(layout).resolve(name).resolve("bin").resolve("postgres");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("the embedded PostgreSQL binary is not where it was unpacked: " + binary);
        }
        return binary;
    }

    /** Creates {@code dir} with mode 700 if absent; refuses it if another user owns or can write it. */
    static void makePrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // created concurrently: checked below like any existing directory
            }
        }
        requireNotAlterable(dir);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(OTHERS_ANY::contains)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            LOG.warn("{} was readable by other users ({}); it is now private (700)", dir,
                    PosixFilePermissions.toString(perms));
        }
    }

    /** Refuses a path that is a symbolic link, owned by another user, or writable by group or others. */
    static void requireNotAlterable(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new UnsafeDatabaseDirectory(path + " is a symbolic link; the embedded database needs a real "
                    + "directory owned by the bank's user");
        }
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != currentUid()) {
            throw new UnsafeDatabaseDirectory(path + " belongs to another user (uid " + owner + "); the bank refuses "
                    + "to start on an embedded database another user could alter");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(OTHERS_WRITE::contains)) {
            throw new UnsafeDatabaseDirectory(path + " can be written by other users ("
                    + PosixFilePermissions.toString(perms) + "), so what it holds may have been altered; the bank "
                    + "refuses to start on it. Check it, then make it private (chmod 700) or remove it");
        }
    }

    private static void requireOwnedAndPrivate(Path file, String what, String remedy) throws IOException {
        requireNotAlterable(file);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(OTHERS_ANY::contains)) {
            throw new UnsafeDatabaseDirectory(what + " " + file + " can be read by other users ("
                    + PosixFilePermissions.toString(perms) + "); " + remedy);
        }
    }

    static int currentUid() {
        return (int) new com.sun.security.auth.module.UnixSystem().getUid();
    }

    /**
     * The built-in binaries, as a distinct resolver per private directory (zonky caches per resolver); records the
     * MD5 of the bundle zonky reads, which names the directory it unpacks to.
     */
    private record PrivateResolver(Path binaries) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            InputStream bundle = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
            MessageDigest md5;
            try {
                md5 = MessageDigest.getInstance("MD5"); // zonky's naming, not a security use
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            return new DigestInputStream(bundle, md5) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    super.close();
                    if (!closed) {
                        closed = true;
                        BUNDLE_DIRS.put(binaries, "PG-" + HexFormat.of().formatHex(md5.digest()));
                    }
                }
            };
        }
    }
}
