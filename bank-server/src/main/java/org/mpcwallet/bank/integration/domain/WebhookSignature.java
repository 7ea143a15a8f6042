package org.mpcwallet.bank.integration.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Standard Webhooks' asymmetric signature (docs/integration.md "Signatures"): Ed25519 over the bytes
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code webhook-signature: v1a,<base64>}; the header may
 * carry several space-separated signatures (during a key rotation), one that verifies is enough.
 */
public final class WebhookSignature {
    public static final String VERSION = "v1a";

    private WebhookSignature() {
    }

    /** The signed content. */
    public static byte[] content(String id, long timestamp, byte[] body) {
        byte[] head = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** The header value {@code v1a,<base64 signature>}. */
    public static String sign(PrivateKey key, String id, long timestamp, byte[] body) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(content(id, timestamp, body));
            return VERSION + "," + Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether one {@code v1a} signature of {@code header} verifies under {@code key}. */
    public static boolean verify(PublicKey key, String id, long timestamp, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        for (String part : header.trim().split(" +")) {
            int comma = part.indexOf(',');
            if (comma < 0 || !VERSION.equals(part.substring(0, comma))) {
                continue;
            }
            try {
                byte[] sig = Base64.getDecoder().decode(part.substring(comma + 1));
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(content(id, timestamp, body));
                if (s.verify(sig)) {
                    return true;
                }
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                // not base64 or not a signature: this entry does not verify; try the next
            }
        }
        return false;
    }
}
