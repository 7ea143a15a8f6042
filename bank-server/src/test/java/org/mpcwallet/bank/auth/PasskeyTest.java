package org.mpcwallet.bank.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.TestDataDir;

/**
 * Passkeys as the staff's second factor and step-up (issue 15, docs/admin-console.md "Sign-in and the second factor"),
 * on the real bank with the production default {@code bank.auth.passkey.second-factor=required}, with a software
 * authenticator ({@link TestPasskey}) in place of the browser's: enrollment at the first sign-in, sign-in with the
 * passkey, the refusals (a spent challenge, another origin, another key, a counter run back, another user's
 * passkey, a malformed answer), and step-up tokens good for one action of their own user for two minutes.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasskeyTest implements TestPropertyProvider {
    static final String PASSWORD = ApiUsers.PASSWORD;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("passkey-");
        p.put("bank.auth.passkey.second-factor", "required");
        return p;
    }

    String origin() {
        return "http://localhost:" + server.getPort();
    }

    /** A user registered (a customer), then given {@code roles} in the database. */
    record Person(String id, String name) {
    }

    Person person(String... roles) {
        ApiUsers.Registered r = new ApiUsers(http, dataSource).registerOnly(roles);
        return new Person(r.id(), r.name());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> login(Person p) {
        return http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/login", Map.of("username", p.name(),
                "password", PASSWORD)), Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> options(Map<String, Object> m) {
        return (Map<String, Object>) m.get("options");
    }

    /** A staff member enrolled with {@code key}; returns the token answer of the enrollment. */
    @SuppressWarnings("unchecked")
    Map<String, Object> enroll(Person p, TestPasskey key) {
        Map<String, Object> first = login(p);
        assertEquals("passkey_enrollment", first.get("secondFactor"), () -> "got " + first);
        return http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/passkey/enroll", Map.of("challengeToken",
                first.get("challengeToken"), "credential", key.create(options(first)), "name", "work laptop")),
                Map.class);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> signIn(Person p, TestPasskey key) {
        Map<String, Object> step = login(p);
        assertEquals("passkey", step.get("secondFactor"), () -> "got " + step);
        return http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/passkey", Map.of("challengeToken",
                step.get("challengeToken"), "credential", key.get(options(step)))), Map.class);
    }

    String bearer(Map<String, Object> tokens) {
        return "Bearer " + tokens.get("access_token");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> jwtClaims(String bearer) throws Exception {
        String payload = bearer.substring("Bearer ".length()).split("\\.")[1];
        return json.readValue(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8), Map.class);
    }

    int status(MutableHttpRequest<?> r) {
        try {
            return http.toBlocking().exchange(r, String.class).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    List<String> audit(String type) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select payload::jsonb ->> 'reason' from audit_event where type = ? order by seq")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    String auditText() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select payload from audit_event"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void staffEnrollAtTheirFirstSignInAndThenSignInWithThePasskey() throws Exception {
        Person admin = person("ADMIN");
        TestPasskey key = new TestPasskey(origin());
        Map<String, Object> first = login(admin);
        assertNull(first.get("access_token"), "no token before the passkey");
        assertEquals("passkey_enrollment", first.get("secondFactor"));
        Map<String, Object> creation = options(first);
        assertEquals("localhost", ((Map<String, Object>) creation.get("rp")).get("id"));
        assertEquals(admin.name(), ((Map<String, Object>) creation.get("user")).get("name"));
        assertEquals("required", ((Map<String, Object>) creation.get("authenticatorSelection"))
                .get("userVerification"));
        Map<String, Object> tokens = http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/passkey/enroll",
                Map.of("challengeToken", first.get("challengeToken"), "credential", key.create(creation),
                        "name", "work laptop")), Map.class);
        assertEquals(List.of("pwd", "hwk"), jwtClaims(bearer(tokens)).get("amr"));
        assertEquals(200, status(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer(tokens))));

        Map<String, Object> second = login(admin);
        assertEquals("passkey", second.get("secondFactor"), "enrolled: the next sign-in asks for the passkey");
        List<Map<String, Object>> allowed = (List<Map<String, Object>>) options(second).get("allowCredentials");
        assertEquals(key.id(), allowed.get(0).get("id"));
        Map<String, Object> again = http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/passkey", Map.of(
                "challengeToken", second.get("challengeToken"), "credential", key.get(options(second)))), Map.class);
        assertEquals(200, status(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer(again))));

        // the session keeps its second factor through a refresh
        Map<String, Object> refreshed = http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/refresh",
                Map.of("refreshToken", again.get("refresh_token"))), Map.class);
        assertEquals(List.of("pwd", "hwk"), jwtClaims(bearer(refreshed)).get("amr"));
        assertEquals(200, status(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer(refreshed))));

        List<Map<String, Object>> mine = (List<Map<String, Object>>) http.toBlocking().retrieve(
                HttpRequest.GET("/v1/auth/passkeys").header("Authorization", bearer(again)), Map.class).get("items");
        assertEquals(1, mine.size());
        assertEquals("work laptop", mine.get(0).get("name"));
        assertNotNull(mine.get(0).get("lastUsedAt"));
        assertFalse(auditText().contains((String) second.get("challengeToken")), "the audit never holds a token");
    }

    @Test
    void aCustomerSignsInWithThePasswordAlone() throws Exception {
        Person customer = person();
        Map<String, Object> tokens = login(customer);
        assertNull(tokens.get("secondFactor"));
        assertEquals(List.of("pwd"), jwtClaims(bearer(tokens)).get("amr"));
        assertEquals(200, status(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer(tokens))));
    }

    @Test
    void wrongAnswersAreRefusedWithOneMessageAndAuditedWithTheirReason() throws Exception {
        Person officer = person("COMPLIANCE");
        TestPasskey key = new TestPasskey(origin());
        enroll(officer, key);

        // a challenge is spent by its first answer, right or wrong
        Map<String, Object> step = login(officer);
        Map<String, Object> ok = Map.of("challengeToken", step.get("challengeToken"), "credential",
                key.get(options(step)));
        assertEquals(200, status(HttpRequest.POST("/v1/auth/passkey", ok)));
        HttpClientResponseException reused = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.POST("/v1/auth/passkey", ok), Map.class));
        assertEquals(401, reused.getStatus().getCode());
        assertTrue(reused.getResponse().getBody(String.class).orElse("").contains("could not be verified"));

        // another origin (a phishing page)
        key.origin = "https://bank-login.example";
        assertEquals(401, answer(officer, key));
        key.origin = origin();

        // another key under the same credential id
        TestPasskey forged = new TestPasskey(origin());
        System.arraycopy(key.credentialId, 0, forged.credentialId, 0, 32);
        forged.counter = key.counter + 10;
        assertEquals(401, answer(officer, forged));

        // a counter run back: a cloned authenticator
        long counter = key.counter;
        key.counter = 0;
        assertEquals(401, answer(officer, key));
        key.counter = counter;

        // another user's passkey on this user's challenge
        Person other = person("COMPLIANCE");
        TestPasskey othersKey = new TestPasskey(origin());
        enroll(other, othersKey);
        assertEquals(401, answer(officer, othersKey));

        // not a credential at all, and an unknown challenge
        Map<String, Object> s2 = login(officer);
        assertEquals(401, status(HttpRequest.POST("/v1/auth/passkey", Map.of("challengeToken",
                s2.get("challengeToken"), "credential", Map.of("id", "x")))));
        assertEquals(401, status(HttpRequest.POST("/v1/auth/passkey", Map.of("challengeToken", "A".repeat(43),
                "credential", key.get(options(s2))))));
        assertEquals(400, status(HttpRequest.POST("/v1/auth/passkey", Map.of("challengeToken", "A".repeat(43)))));

        // and the right passkey still works afterwards
        assertEquals(200, answer(officer, key));
        List<String> reasons = audit("AUTH_PASSKEY_REFUSED");
        for (String r : List.of("used_challenge", "BadOrigin", "BadSignature", "MaliciousCounterValue",
                "other_users_credential", "malformed", "unknown_challenge")) {
            assertTrue(reasons.contains(r), () -> r + " not among " + reasons);
        }
    }

    /** Logs in and answers with {@code key}; the status. */
    private int answer(Person p, TestPasskey key) {
        Map<String, Object> step = login(p);
        return status(HttpRequest.POST("/v1/auth/passkey", Map.of("challengeToken", step.get("challengeToken"),
                "credential", key.get(options(step)))));
    }

    @SuppressWarnings("unchecked")
    String stepUp(String bearer, TestPasskey key) {
        Map<String, Object> begun = http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/step-up/options", "")
                .header("Authorization", bearer), Map.class);
        Map<String, Object> done = http.toBlocking().retrieve(HttpRequest.POST("/v1/auth/step-up", Map.of(
                "challengeToken", begun.get("challengeToken"), "credential", key.get(options(begun))))
                .header("Authorization", bearer), Map.class);
        assertEquals(120, ((Number) done.get("expiresIn")).intValue());
        return (String) done.get("stepUpToken");
    }

    @Test
    void aStepUpTokenAllowsOneActionOfItsOwnUserForTwoMinutes() throws Exception {
        Person admin = person("ADMIN");
        TestPasskey key = new TestPasskey(origin());
        String bearer = bearer(enroll(admin, key));
        Person target = person();
        MutableHttpRequest<?> grant = HttpRequest.PUT("/v1/admin/users/" + target.id() + "/roles",
                Map.of("roles", List.of("CUSTOMER", "VIEWER"))).header("Authorization", bearer);

        HttpClientResponseException without = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(grant, Map.class));
        assertEquals(403, without.getStatus().getCode());
        String problem = without.getResponse().getBody(String.class).orElse("");
        assertTrue(problem.contains("step-up-required") && problem.contains("Step-Up"), problem);

        String token = stepUp(bearer, key);
        assertEquals(200, status(HttpRequest.PUT("/v1/admin/users/" + target.id() + "/roles",
                Map.of("roles", List.of("CUSTOMER", "VIEWER"))).header("Authorization", bearer)
                .header("Step-Up", token)));
        assertEquals(403, status(HttpRequest.PUT("/v1/admin/users/" + target.id() + "/roles",
                Map.of("roles", List.of("CUSTOMER"))).header("Authorization", bearer).header("Step-Up", token)),
                "spent by the first action");

        String late = stepUp(bearer, key);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update step_up_grants set expires_at = now() - interval '1 second' where used_at is null")) {
            ps.executeUpdate();
        }
        assertEquals(403, status(HttpRequest.PUT("/v1/admin/users/" + target.id() + "/roles",
                Map.of("roles", List.of("CUSTOMER"))).header("Authorization", bearer).header("Step-Up", late)));

        Person otherAdmin = person("ADMIN");
        TestPasskey otherKey = new TestPasskey(origin());
        String otherBearer = bearer(enroll(otherAdmin, otherKey));
        String notMine = stepUp(otherBearer, otherKey);
        assertEquals(403, status(HttpRequest.PUT("/v1/admin/users/" + target.id() + "/roles",
                Map.of("roles", List.of("CUSTOMER"))).header("Authorization", bearer).header("Step-Up", notMine)));

        List<String> reasons = audit("AUTH_STEP_UP_REFUSED");
        for (String r : List.of("missing", "used", "expired", "other_user")) {
            assertTrue(reasons.contains(r), () -> r + " not among " + reasons);
        }
        assertFalse(auditText().contains(token), "the audit never holds a step-up token");
    }

    @Test
    @SuppressWarnings("unchecked")
    void customersAreNotAskedToStepUp() throws Exception {
        Person owner = person();
        Person viewer = person();
        String bearer = bearer(login(owner));
        Map<String, Object> wallet = http.toBlocking().retrieve(HttpRequest.POST("/v1/wallets", Map.of("name", "w",
                "type", "RETAIL", "riskProfile", "LOW")).header("Authorization", bearer), Map.class);
        assertEquals(201, status(HttpRequest.POST("/v1/wallets/" + wallet.get("id") + "/roles", Map.of("userId",
                viewer.id(), "role", "VIEWER")).header("Authorization", bearer)));
    }
}
