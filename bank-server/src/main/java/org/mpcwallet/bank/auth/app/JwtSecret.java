package org.mpcwallet.bank.auth.app;

import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.mpcwallet.bank.config.BankConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 secret for access tokens: BANK_JWT_SECRET, or else {@code $BANK_DATA_DIR/jwt-secret}, created on first
 * start with 64 random bytes (base64url) and mode 600, so tokens survive restarts. The value is never logged.
 */
@Context // at startup: an unreadable secret file fails the start, not the first login
public class JwtSecret {
    private static final Logger LOG = LoggerFactory.getLogger(JwtSecret.class);
    public static final String FILE_NAME = "jwt-secret";

    private final String value;

    public JwtSecret(AuthConfig auth, BankConfig bank) {
        if (auth.jwtSecret() != null) {
            value = auth.jwtSecret();
            LOG.info("JWT signing secret: from BANK_JWT_SECRET");
        } else {
            Path file = Path.of(bank.dataDir()).toAbsolutePath().normalize().resolve(FILE_NAME);
            value = loadOrCreate(file);
        }
    }

    private static String loadOrCreate(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                byte[] raw = new byte[64];
                new SecureRandom().nextBytes(raw);
                String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
                    LOG.info("JWT signing secret: generated and stored in {} (mode 600)", file);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            } else {
                LOG.info("JWT signing secret: from {}", file);
            }
            String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (secret.length() < 32) {
                throw new IllegalStateException(file + " holds a secret shorter than 32 characters");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT secret file " + file, e);
        }
    }

    /** The secret; only for the signature configuration (and tests). */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "JwtSecret[(redacted)]";
    }
}
