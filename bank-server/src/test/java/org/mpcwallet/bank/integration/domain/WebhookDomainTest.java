package org.mpcwallet.bank.integration.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** The pure parts of webhooks: which audit events are webhook events, the retry schedule, URLs, signatures. */
class WebhookDomainTest {

    @Test
    void auditEventsMapToWebhookEventsWithTheirEntity() {
        String tx = UUID.randomUUID().toString();
        String w = UUID.randomUUID().toString();
        WebhookEvents.Outgoing submitted = WebhookEvents.of("TX_SUBMITTED", Map.of("txRequestId", tx, "walletId", w))
                .orElseThrow();
        assertEquals("transfer.state_changed", submitted.type());
        assertEquals("transfer:" + tx, submitted.entity());
        assertEquals(UUID.fromString(w), submitted.walletId());
        assertEquals("SUBMITTED", submitted.data().get("state"));
        assertNull(submitted.data().get("previousState"));
        WebhookEvents.Outgoing moved = WebhookEvents.of("TX_STATUS_CHANGED", Map.of("txRequestId", tx, "walletId", w,
                "from", "SIGNED", "to", "BROADCAST_PENDING")).orElseThrow();
        assertEquals("BROADCAST_PENDING", moved.data().get("state"));
        assertEquals("SIGNED", moved.data().get("previousState"));

        assertEquals("deposit.held", WebhookEvents.of("DEPOSIT_KYT_EVALUATED", Map.of("depositId", "d1", "walletId",
                w, "verdict", "REVIEW")).orElseThrow().type());
        assertTrue(WebhookEvents.of("DEPOSIT_KYT_EVALUATED", Map.of("depositId", "d1", "walletId", w, "verdict",
                "ALLOW")).isEmpty(), "an allowed deposit is not held");
        WebhookEvents.Outgoing kyt = WebhookEvents.of("KYT_CASE_OPENED", Map.of("caseId", "c1")).orElseThrow();
        assertEquals("kyt_case:c1", kyt.entity());
        assertNull(kyt.walletId());
        assertEquals("key.retired", WebhookEvents.of("WALLET_RETIRED", Map.of("walletId", w)).orElseThrow().type());
        assertEquals("wallet:" + w, WebhookEvents.of("KEY_LOCKED", Map.of("walletId", w)).orElseThrow().entity(),
                "key incidents and wallet events of one wallet share an order");
        assertTrue(WebhookEvents.of("AUTH_LOGIN_SUCCEEDED", Map.of("userId", "u")).isEmpty());
        assertTrue(WebhookEvents.of("TX_STATUS_CHANGED", Map.of("from", "A")).isEmpty(), "no entity id, no event");
        for (String t : WebhookEvents.TYPES) {
            assertTrue(t.matches("[a-z_]+\\.[a-z_]+"), t);
        }
        for (String auditType : WebhookEvents.AUDIT_TYPES) {
            Map<String, Object> any = Map.of("txRequestId", "t", "depositId", "d", "caseId", "c", "walletId", w,
                    "verdict", "BLOCK");
            assertTrue(WebhookEvents.of(auditType, any).isPresent(), auditType + " is mapped");
        }
        assertNull(WebhookEvents.firstUnknown(List.of("wallet.created", "key.locked")));
        assertEquals("nope", WebhookEvents.firstUnknown(List.of("wallet.created", "nope")));
    }

    @Test
    void retriesBackOffWithJitterAndStopAtARefusal() {
        RetrySchedule s = new RetrySchedule(RetrySchedule.STANDARD, 0.2);
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt <= RetrySchedule.STANDARD.size(); attempt++) {
            Duration low = s.next(attempt, 503, 0.0).orElseThrow();
            Duration high = s.next(attempt, 503, 0.999999).orElseThrow();
            Duration base = RetrySchedule.STANDARD.get(attempt - 1);
            assertEquals(base.toMillis() * 0.8, low.toMillis(), base.toMillis() * 0.001 + 1);
            assertEquals(base.toMillis() * 1.2, high.toMillis(), base.toMillis() * 0.001 + 1);
            total = total.plus(low);
        }
        assertTrue(total.compareTo(Duration.ofHours(8)) > 0, "retries last at least 8 hours even at the low jitter: "
                + total);
        assertEquals(Optional.empty(), s.next(RetrySchedule.STANDARD.size() + 1, 503, 0.5), "then given up");
        assertEquals(Optional.empty(), s.next(1, 400, 0.5), "4xx is final");
        assertEquals(Optional.empty(), s.next(1, 410, 0.5));
        assertTrue(s.next(1, 408, 0.5).isPresent());
        assertTrue(s.next(1, 429, 0.5).isPresent());
        assertTrue(s.next(1, null, 0.5).isPresent(), "no answer is retried");
        assertTrue(s.next(1, 302, 0.5).isPresent(), "a redirect is not followed but retried");
        assertTrue(RetrySchedule.delivered(204));
        assertFalse(RetrySchedule.delivered(302));
    }

    @Test
    void aUrlsQueryValuesNeverReachTheAuditLog() {
        assertEquals("https://hooks.example.com/mpc?token=…&tenant=…",
                WebhookUrl.forLog("https://hooks.example.com/mpc?token=s3cr3t&tenant=acme"));
        assertEquals("https://hooks.example.com/mpc?…&k=…", WebhookUrl.forLog("https://hooks.example.com/mpc?s3cr3t&k=v"));
        assertEquals("https://hooks.example.com/mpc", WebhookUrl.forLog("https://hooks.example.com/mpc"));
        assertEquals("(not a URL)", WebhookUrl.forLog("https://bad host/?token=s3cr3t"));
    }

    @Test
    void urlsAreHttpsOrLoopback() {
        assertTrue(WebhookUrl.problem("https://hooks.example.com/mpc?x=1").isEmpty());
        assertTrue(WebhookUrl.problem("http://127.0.0.1:8080/hook").isEmpty());
        assertTrue(WebhookUrl.problem("http://localhost/hook").isEmpty());
        assertTrue(WebhookUrl.problem("http://[::1]:9/hook").isEmpty());
        assertTrue(WebhookUrl.problem("http://10.0.0.1/hook").isPresent());
        assertTrue(WebhookUrl.problem("http://127.0.0.1.example.com/hook").isPresent());
        assertTrue(WebhookUrl.problem("http://localhost.example.com/hook").isPresent());
        assertTrue(WebhookUrl.problem("https://a:b@example.com/").isPresent());
        assertTrue(WebhookUrl.problem("https://example.com/#frag").isPresent());
        assertTrue(WebhookUrl.problem("https:///nohost").isPresent());
        assertTrue(WebhookUrl.problem("/relative").isPresent());
        assertTrue(WebhookUrl.problem("https://example.com/" + "a".repeat(2000)).isPresent());
        assertTrue(WebhookUrl.problem(null).isPresent());
    }

    @Test
    void signaturesVerifyWithAnIndependentEd25519() throws Exception {
        KeyPair k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] body = "{\"id\":\"e1\",\"type\":\"wallet.created\"}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSignature.sign(k.getPrivate(), "e1", 1_765_000_000L, body);
        assertTrue(header.startsWith("v1a,"));
        // Bouncy Castle verifies the JDK's signature over "<id>.<timestamp>.<body>"
        byte[] spki = k.getPublic().getEncoded();
        Ed25519Signer bc = new Ed25519Signer();
        bc.init(false, new Ed25519PublicKeyParameters(spki, spki.length - 32));
        byte[] content = ("e1.1765000000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        bc.update(content, 0, content.length);
        assertTrue(bc.verifySignature(Base64.getDecoder().decode(header.substring(4))));

        assertTrue(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_000L, body, header));
        assertTrue(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_000L, body, "v1a,AAAA " + header),
                "one of several signatures is enough (a rotation)");
        assertFalse(WebhookSignature.verify(k.getPublic(), "e2", 1_765_000_000L, body, header), "another id");
        assertFalse(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_001L, body, header), "another time");
        assertFalse(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_000L, "{}".getBytes(), header));
        assertFalse(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_000L, body, header.replace("v1a", "v1")));
        assertFalse(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_000L, body, "v1a,%%%"));
        assertFalse(WebhookSignature.verify(k.getPublic(), "e1", 1_765_000_000L, body, null));
    }
}
