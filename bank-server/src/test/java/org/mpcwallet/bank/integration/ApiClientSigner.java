package org.mpcwallet.bank.integration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * An example of signing requests as an API client (docs/integration.md "Signed requests"), with the JDK only: an
 * Ed25519 key pair (the private key stays with the client; the bank gets {@link #publicKeyPem()}), and for each
 * request a compact JWS whose claims bind it to the method, path and query, and body, valid 30 seconds, with a
 * fresh {@code jti}. Send it as {@code Authorization: Bearer <token>}.
 */
public final class ApiClientSigner {
    private final KeyPair keys;
    private String clientId;

    public ApiClientSigner() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key to register: PEM of its SubjectPublicKeyInfo. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The id the bank gave the client at registration (the token's {@code kid} and {@code sub}). */
    public ApiClientSigner as(String id) {
        this.clientId = id;
        return this;
    }

    public String clientId() {
        return clientId;
    }

    /** {@code Authorization} header value for {@code method target} with {@code body} (empty for none), now. */
    public String authorization(String method, String target, byte[] body) {
        long now = Instant.now().getEpochSecond();
        return authorization(method, target, body, now, now + 30, UUID.randomUUID().toString());
    }

    /** The same with chosen times and id (the tests make expired, future-dated and replayed requests with it). */
    public String authorization(String method, String target, byte[] body, long iat, long exp, String jti) {
        return "Bearer " + token(clientId, keys.getPrivate(), method + " " + target, sha256Hex(body), iat, exp, jti);
    }

    /** A token with every field chosen (for tests of what the bank refuses). */
    public static String token(String kid, PrivateKey key, String uri, String bodyHash, long iat, long exp,
                               String jti) {
        return token(kid, kid, key, uri, bodyHash, iat, exp, jti);
    }

    /** As above with a {@code sub} of its own (a token naming another client than its {@code kid}). */
    public static String token(String kid, String sub, PrivateKey key, String uri, String bodyHash, long iat,
                               long exp, String jti) {
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"sub\":\"" + sub + "\",\"uri\":\"" + uri.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"bodyHash\":\"" + bodyHash + "\",\"iat\":" + iat + ",\"exp\":" + exp + ",\"jti\":\"" + jti
                + "\"}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    PrivateKey privateKey() {
        return keys.getPrivate();
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0]
                    : body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
