package org.mpcwallet.bank.integration.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The checks on an API client's signed request (docs/integration.md "Signed requests"), without I/O: a compact JWS
 * {@code header.claims.signature} with header {@code alg} EdDSA and {@code kid} the client id, claims {@code sub}
 * (the client id), {@code uri} ("METHOD /path?query" exactly as sent), {@code bodyHash} (hex SHA-256 of the raw
 * body), {@code iat}, {@code exp} (at most {@link #MAX_LIFETIME} after {@code iat}), {@code jti}. {@link #parse}
 * reads the token; {@link #check} decides against the client's keys, the request and the clock. Replays are the
 * caller's to refuse (the {@code jti} store), after these checks pass.
 */
public final class SignedRequest {
    /** How long a signed request may live, and how far its {@code iat} may be from the bank's clock. */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(30);
    public static final Duration MAX_SKEW = Duration.ofSeconds(30);

    /** Why a request was refused; {@link #detail} is what the 401 says (never a key, a token or a body). */
    public enum Refusal {
        MALFORMED("the Authorization header is not a signed request (compact JWS with alg EdDSA, kid, and the claims "
                + "sub, uri, bodyHash, iat, exp, jti)"),
        UNKNOWN_CLIENT("no API client has this kid"),
        CLIENT_DISABLED("this API client is disabled"),
        SOURCE_NOT_ALLOWED("this API client may not call from this address"),
        BAD_SIGNATURE("the signature does not verify with any current key of this client"),
        SUBJECT_MISMATCH("sub is not the client named by kid"),
        URI_MISMATCH("the signed uri is not this request's method, path and query"),
        BODY_MISMATCH("bodyHash is not the SHA-256 of this request's body"),
        BODY_TOO_LARGE("the body is larger than a signed request may carry (1 MiB)"),
        NOT_YET_VALID("iat is more than 30 s in the future of the bank's clock"),
        EXPIRED("the request expired (exp passed, or iat is more than 30 s in the past)"),
        LIFETIME_TOO_LONG("exp is more than 30 s after iat"),
        REPLAYED("this jti was already used");

        private final String detail;

        Refusal(String detail) {
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }

        /** The audit's word for it: {@code bad_signature}. */
        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A token read but not yet checked. */
    public record Token(UUID clientId, String signingInput, byte[] signature, String subject, String uri,
                        String bodyHash, Instant issuedAt, Instant expiresAt, String jti) {
        @Override
        public String toString() {
            return "Token[client=" + clientId + ", uri=" + uri + ", jti=" + jti + "]";
        }
    }

    /** A parse: the token, or the refusal (MALFORMED) — or neither, when the bearer is not an EdDSA token at all. */
    public record Parsed(Token token, Refusal refusal) {
        public boolean ours() {
            return token != null || refusal != null;
        }
    }

    private SignedRequest() {}

    /**
     * Reads {@code bearer} (the Authorization header's token). Not an EdDSA JWS: {@code Parsed(null, null)} (another
     * scheme's token: the bank's own JWTs are HS256). An EdDSA token that lacks a part: MALFORMED.
     */
    public static Parsed parse(String bearer, JsonReader json) {
        if (bearer == null) {
            return new Parsed(null, null);
        }
        String[] parts = bearer.split("\\.", -1);
        if (parts.length != 3) {
            return new Parsed(null, null);
        }
        Map<String, Object> header = json.object(decode(parts[0]));
        if (header == null || !"EdDSA".equals(header.get("alg"))) {
            return new Parsed(null, null);
        }
        Map<String, Object> claims = json.object(decode(parts[1]));
        byte[] signature = bytes(parts[2]);
        try {
            UUID kid = UUID.fromString(text(header, "kid"));
            Token t = new Token(kid, parts[0] + "." + parts[1], signature, text(claims, "sub"), text(claims, "uri"),
                    text(claims, "bodyHash"), Instant.ofEpochSecond(number(claims, "iat")),
                    Instant.ofEpochSecond(number(claims, "exp")), text(claims, "jti"));
            if (signature == null || signature.length != 64 || t.jti().length() < 8 || t.jti().length() > 128) {
                return new Parsed(null, Refusal.MALFORMED);
            }
            return new Parsed(t, null);
        } catch (RuntimeException e) {
            return new Parsed(null, Refusal.MALFORMED);
        }
    }

    /**
     * Checks {@code t} against the client's current keys (SPKI DER), the request ({@code method}, {@code rawTarget}
     * = raw path and query as sent, {@code bodySha256Hex}) and {@code now}: the first failed check, or null.
     */
    public static Refusal check(Token t, String clientId, List<byte[]> keys, String method, String rawTarget,
                                String bodySha256Hex, Instant now) {
        if (!verifies(t, keys)) {
            return Refusal.BAD_SIGNATURE;
        }
        if (!clientId.equals(t.subject())) {
            return Refusal.SUBJECT_MISMATCH;
        }
        if (t.expiresAt().isAfter(t.issuedAt().plus(MAX_LIFETIME))) {
            return Refusal.LIFETIME_TOO_LONG;
        }
        if (t.issuedAt().isAfter(now.plus(MAX_SKEW))) {
            return Refusal.NOT_YET_VALID;
        }
        if (!t.expiresAt().isAfter(now) || t.issuedAt().isBefore(now.minus(MAX_SKEW))) {
            return Refusal.EXPIRED;
        }
        if (!(method + " " + rawTarget).equals(t.uri())) {
            return Refusal.URI_MISMATCH;
        }
        if (!bodySha256Hex.equalsIgnoreCase(t.bodyHash())) {
            return Refusal.BODY_MISMATCH;
        }
        return null;
    }

    private static boolean verifies(Token t, List<byte[]> keys) {
        byte[] input = t.signingInput().getBytes(StandardCharsets.US_ASCII);
        for (byte[] spki : keys) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(publicKey(spki));
                s.update(input);
                if (s.verify(t.signature())) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a key that does not load verifies nothing
            }
        }
        return false;
    }

    /** An Ed25519 public key from its SPKI DER encoding (44 bytes). */
    public static PublicKey publicKey(byte[] spki) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** Reads JSON objects (the bank's JsonMapper in production). */
    @FunctionalInterface
    public interface JsonReader {
        /** The object in {@code utf8}, or null when it is not a JSON object. */
        Map<String, Object> object(byte[] utf8);
    }

    private static byte[] decode(String part) {
        byte[] b = bytes(part);
        return b == null ? new byte[0] : b;
    }

    private static byte[] bytes(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(Map<String, Object> m, String key) {
        if (m == null || !(m.get(key) instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException(key);
        }
        return s;
    }

    private static long number(Map<String, Object> m, String key) {
        if (m == null || !(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(key);
        }
        return n.longValue();
    }
}
