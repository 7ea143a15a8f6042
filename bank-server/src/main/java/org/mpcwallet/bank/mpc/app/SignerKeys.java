package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import org.mpcwallet.bank.config.BankConfig;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.permit.PermitKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's Ed25519 permit key and, for the in-process signer, the KEK (docs/mpc-channel.md
 * "Configuration"). Loaded at startup so a missing or unreadable key fails the start, not the first signature.
 * Development defaults live in the data directory and are created on first start (mode 600); production points
 * BANK_PERMIT_KEY_FILE and BANK_KEK_FILE (or BANK_KEK_HEX) elsewhere. Key material is never logged.
 */
@Context
public class SignerKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SignerKeys.class);
    public static final String KEK_FILE = "signer-kek.hex";
    public static final String PERMIT_KEY_FILE = "permit-ed25519.key";

    private final KeyPair permitKeys;
    private final SignerAssembly.Kek kek;

    public SignerKeys(SignerConfig config, BankConfig bank) {
        Path dataDir = Path.of(bank.dataDir()).toAbsolutePath().normalize();
        Path permitFile = config.permitKeyFile() != null ? Path.of(config.permitKeyFile()).toAbsolutePath()
                : dataDir.resolve(PERMIT_KEY_FILE);
        this.permitKeys = loadOrCreatePermitKey(permitFile, config.permitKeyFile() == null);
        this.kek = config.remote() ? null : loadKek(config, dataDir);
    }

    /** The orchestrator's public permit key, as a signer verifies it. */
    public PublicKey permitPublicKey() {
        return permitKeys.getPublic();
    }

    PrivateKey permitPrivateKey() {
        return permitKeys.getPrivate();
    }

    /** The in-process signer's KEK (null when the signer is remote). */
    SignerAssembly.Kek kek() {
        return kek;
    }

    private static SignerAssembly.Kek loadKek(SignerConfig config, Path dataDir) {
        try {
            if (config.kekHex() != null) {
                LOG.info("signer KEK: from BANK_KEK_HEX");
                return SignerAssembly.kekFromHex(config.kekHex());
            }
            Path file = config.kekFile() != null ? Path.of(config.kekFile()).toAbsolutePath()
                    : dataDir.resolve(KEK_FILE);
            if (config.kekFile() == null && !Files.exists(file)) {
                Files.createDirectories(dataDir);
                try {
                    SignerAssembly.Kek k = SignerAssembly.generateKek(file, new SecureRandom());
                    LOG.warn("signer KEK: generated {} (mode 600) for development; production sets BANK_KEK_FILE "
                            + "to a key kept apart from the database and its backups", file);
                    return k;
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first
                }
            }
            SignerAssembly.Kek k = SignerAssembly.kekFromFile(file);
            LOG.info("signer KEK: from {} ({})", file, k);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the signer KEK failed: " + e.getClass().getSimpleName(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the signer KEK is invalid: " + e.getMessage());
        }
    }

    private static KeyPair loadOrCreatePermitKey(Path file, boolean createIfMissing) {
        try {
            if (createIfMissing && !Files.exists(file)) {
                Files.createDirectories(file.getParent());
                KeyPair kp = PermitKeys.generate(new SecureRandom());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.write(file, kp.getPrivate().getEncoded());
                    Files.write(publicFile(file), kp.getPublic().getEncoded());
                    LOG.warn("permit key: generated {} (mode 600) and {} for development", file, publicFile(file));
                    return kp;
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first
                }
            }
            byte[] der = Files.readAllBytes(file);
            try {
                PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
                if (!(priv instanceof EdECPrivateKey)) {
                    throw new IllegalStateException(file + " is not an Ed25519 private key");
                }
                PublicKey pub = derivePublic(priv);
                Path pubFile = publicFile(file);
                if (!Files.exists(pubFile)) {
                    Files.write(pubFile, pub.getEncoded());
                }
                LOG.info("permit key: from {}", file);
                return new KeyPair(pub, priv);
            } finally {
                Arrays.fill(der, (byte) 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the permit key failed: " + e.getClass().getSimpleName(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the permit key in " + file + " is not a PKCS#8 Ed25519 key");
        }
    }

    /** The public key file written next to the private key ({@code .pub}, X.509 DER). */
    public static Path publicFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    private static PublicKey derivePublic(PrivateKey priv) throws GeneralSecurityException {
        // Ed25519 public key = [a]B from the seed; the JDK exposes it by signing-free derivation through BC-free
        // means only via KeyPairGenerator, so derive with Bouncy Castle's lightweight API.
        byte[] seed = ((EdECPrivateKey) priv).getBytes().orElseThrow(
                () -> new GeneralSecurityException("private key bytes unavailable"));
        try {
            var bcPriv = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0);
            byte[] raw = bcPriv.generatePublicKey().getEncoded();
            byte[] x509 = new byte[12 + 32];
            byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
            System.arraycopy(prefix, 0, x509, 0, 12);
            System.arraycopy(raw, 0, x509, 12, 32);
            return PermitKeys.publicKeyFromX509(x509);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
