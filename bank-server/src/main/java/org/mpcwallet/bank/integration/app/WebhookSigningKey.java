package org.mpcwallet.bank.integration.app;

import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.mpcwallet.bank.config.BankConfig;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.integration.domain.WebhookSignature;
import org.mpcwallet.bank.integration.persistence.WebhookSigningKeyRepository;
import org.mpcwallet.bank.integration.persistence.WebhookSigningKeyRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's Ed25519 key for webhook signatures (docs/integration.md "Signatures"): the file
 * {@code bank.webhooks.signing-key-file}, or {@code <dataDir>/webhook-signing-key} created on first start (PKCS#8
 * PEM, mode 600). Its public half is registered at startup as the current key; keys it replaced stay published as
 * retired. The key id is {@code whk_} and the first 16 hex digits of the SHA-256 of the public key's SPKI.
 */
@Context
public class WebhookSigningKey {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSigningKey.class);
    public static final String FILE_NAME = "webhook-signing-key";

    private final PrivateKey privateKey;
    private final byte[] spki;
    private final String kid;
    private final TransactionRunner transactions;
    private final WebhookSigningKeyRepository keys;

    public WebhookSigningKey(WebhookConfig config, BankConfig bank, TransactionRunner transactions,
                             WebhookSigningKeyRepository keys) {
        this.transactions = transactions;
        this.keys = keys;
        Path file = config.signingKeyFile() == null || config.signingKeyFile().isBlank()
                ? Path.of(bank.dataDir()).toAbsolutePath().normalize().resolve(FILE_NAME)
                : Path.of(config.signingKeyFile()).toAbsolutePath().normalize();
        try {
            this.privateKey = loadOrCreate(file);
            this.spki = publicOf(privateKey).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " holds no Ed25519 private key (PKCS#8 PEM)");
        }
        this.kid = kidOf(spki);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        transactions.run(() -> keys.currentKey(kid, spki, now));
        LOG.info("webhook signing key {} from {}", kid, file);
    }

    /** The header value {@code v1a,<signature>} for one attempt. */
    public String sign(String id, long timestamp, byte[] body) {
        return WebhookSignature.sign(privateKey, id, timestamp, body);
    }

    public String kid() {
        return kid;
    }

    /** Every key ever used, the current one first. */
    public List<WebhookSigningKeyRow> published() {
        return transactions.inTransaction(() -> keys.signingKeys());
    }

    public static String kidOf(byte[] spki) {
        try {
            return "whk_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM of an SPKI. */
    public static String pem(byte[] spki) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
    }

    /** Standard Webhooks' public key form: {@code whpk_} and the base64 of the raw 32-byte key. */
    public static String whpk(byte[] spki) {
        byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return "whpk_" + Base64.getEncoder().encodeToString(raw);
    }

    private static PrivateKey loadOrCreate(Path file) throws GeneralSecurityException {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(
                        StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, pem, StandardCharsets.US_ASCII);
                    LOG.info("webhook signing key: generated and stored in {} (mode 600)", file);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            String b64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(b64)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the webhook signing key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64");
        }
    }

    /**
     * The public key of an Ed25519 private key. The JDK derives none; Bouncy Castle's RFC 8032 code does, from the
     * 32-byte seed that ends the key's PKCS#8 encoding (RFC 8410).
     */
    private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        byte[] pkcs8 = key.getEncoded();
        byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        byte[] pub = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pub, 0);
        byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] spkiBytes = new byte[44];
        System.arraycopy(prefix, 0, spkiBytes, 0, 12);
        System.arraycopy(pub, 0, spkiBytes, 12, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(spkiBytes));
    }

    @Override
    public String toString() {
        return "WebhookSigningKey[" + kid + "]";
    }
}
