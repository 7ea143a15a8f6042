package org.mpcwallet.bank.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.TestTokens;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.auth.app.AuthConfig;
import org.mpcwallet.bank.auth.app.CreateAdminCommand;
import org.mpcwallet.bank.auth.app.JwtSecret;
import org.mpcwallet.bank.auth.app.PasswordHasher;
import org.mpcwallet.bank.config.BankConfig;

/** Register, login, me, refresh rotation, roles and the first admin, over real HTTP on the embedded PostgreSQL. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest implements TestPropertyProvider {
    private static final String PASSWORD = "correct horse battery";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    ApplicationContext context;

    @Inject
    AuditLog auditLog;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("auth-");
    }

    // ---- helpers

    private HttpResponse<Map> post(String path, Object body) {
        return http.toBlocking().exchange(HttpRequest.POST(path, body), Map.class);
    }

    private HttpClientResponseException fails(MutableHttpRequest<?> request) {
        return assertThrows(HttpClientResponseException.class, () -> http.toBlocking().exchange(request, Map.class));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> problem(HttpClientResponseException e, int status) throws Exception {
        assertEquals(status, e.code());
        assertEquals("application/problem+json", e.getResponse().getContentType().orElseThrow().toString());
        Map<String, Object> body = json.readValue(e.getResponse().getBody(String.class).orElseThrow(), Map.class);
        assertEquals(status, ((Number) body.get("status")).intValue());
        assertNotNull(body.get("correlationId"));
        return body;
    }

    private Map<?, ?> register(String username) {
        HttpResponse<Map> r = post("/v1/auth/register",
                Map.of("username", username, "email", username + "@example.com", "password", PASSWORD));
        assertEquals(201, r.code());
        return r.body();
    }

    private Map<?, ?> login(String username, String password) {
        HttpResponse<Map> r = post("/v1/auth/login", Map.of("username", username, "password", password));
        assertEquals(200, r.code());
        return r.body();
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<Map> me(String bearer) {
        return http.toBlocking().exchange(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer), Map.class);
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private String signed(String secret, Date expiry, List<String> roles) throws Exception {
        return signed(secret, JWSAlgorithm.HS256, expiry, null, roles, realUser(roles), 0L);
    }

    /** A token with exactly these header and claims (null expiry / nbf: left out). */
    private String signed(String secret, JWSAlgorithm alg, Date expiry, Date notBefore, List<String> roles,
            UUID uid, Long version) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject("mallory").claim("roles", roles)
                .claim("uid", uid.toString()).issueTime(new Date());
        if (expiry != null) {
            b.expirationTime(expiry);
        }
        if (notBefore != null) {
            b.notBeforeTime(notBefore);
        }
        if (version != null) {
            b.claim("ver", version);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), b.build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return "Bearer " + jwt.serialize();
    }

    /** A user row with {@code roles} (version 0), for hand-made tokens. */
    private UUID realUser(List<String> roles) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "insert into users (id, username, password_hash, roles) values (?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, "hand-" + id.toString().substring(0, 8));
            ps.setString(3, "$2y$04$" + "x".repeat(53));
            ps.setArray(4, c.createArrayOf("text", roles.toArray(new String[0])));
            ps.executeUpdate();
        }
        return id;
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Retries {@code check} for up to 3 s: a revocation reaches every instance within the 2 s state cache. */
    private static void within3s(org.junit.jupiter.api.function.Executable check) throws Throwable {
        long until = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                check.execute();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    // ---- tests

    @Test
    void registerLoginMe() {
        String name = unique("alice");
        Map<?, ?> registered = register(name);
        assertEquals(name, registered.get("username"));
        assertEquals(List.of("CUSTOMER"), registered.get("roles"));

        Map<?, ?> tokens = login(name, PASSWORD);
        assertEquals("Bearer", tokens.get("token_type"));
        assertEquals(600, ((Number) tokens.get("expires_in")).intValue());
        assertNotNull(tokens.get("refresh_token"));

        Map<?, ?> me = me("Bearer " + tokens.get("access_token")).body();
        assertEquals(registered.get("id"), me.get("id"));
        assertEquals(name, me.get("username"));
        assertEquals(List.of("CUSTOMER"), me.get("roles"));

        // login by email works too
        assertNotNull(login(name + "@example.com", PASSWORD).get("access_token"));
    }

    @Test
    void registerValidatesAndRefusesDuplicates() throws Exception {
        String name = unique("bob");
        var weak = fails(HttpRequest.POST("/v1/auth/register", Map.of("username", name, "password", "short-pw")));
        assertTrue(String.valueOf(problem(weak, 400).get("detail")).contains("at least 12"));
        var badName = fails(HttpRequest.POST("/v1/auth/register", Map.of("username", "x", "password", PASSWORD)));
        problem(badName, 400);
        register(name);
        var dup = fails(HttpRequest.POST("/v1/auth/register", Map.of("username", name, "password", PASSWORD)));
        problem(dup, 409);
        // register never grants more than CUSTOMER: a body that asks for roles is refused (issue 10 §5, strict bodies)
        String sneaky = unique("eve");
        var roles = fails(HttpRequest.POST("/v1/auth/register",
                Map.of("username", sneaky, "password", PASSWORD, "roles", List.of("ADMIN"))));
        assertEquals("field 'roles': is not a field of this request", problem(roles, 400).get("detail"));
        assertEquals(0, count("select count(*) from users where username = '" + sneaky + "'"));
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() throws Exception {
        String name = unique("carol");
        register(name);
        var wrong = fails(HttpRequest.POST("/v1/auth/login", Map.of("username", name, "password", "wrong password!")));
        var unknown = fails(HttpRequest.POST("/v1/auth/login",
                Map.of("username", unique("nobody"), "password", "wrong password!")));
        Map<String, Object> a = problem(wrong, 401);
        Map<String, Object> b = problem(unknown, 401);
        for (String field : List.of("type", "title", "status", "detail")) {
            assertEquals(a.get(field), b.get(field), field);
        }
        assertEquals("Invalid username or password", a.get("detail"));
        String raw = wrong.getResponse().getBody(String.class).orElseThrow();
        assertFalse(raw.contains("wrong password!") || raw.contains("Exception") || raw.contains("bcrypt"), raw);
    }

    @Test
    void malformedBodiesAre400WithoutParserInternals() throws Exception {
        var e = fails(HttpRequest.POST("/v1/auth/login", "{bad json").contentType("application/json"));
        Map<String, Object> body = problem(e, 400);
        assertEquals("The request body is not valid JSON.", body.get("detail"));
        String raw = e.getResponse().getBody(String.class).orElseThrow();
        assertFalse(raw.contains("Source") || raw.contains("StreamReadFeature") || raw.contains("column"), raw);
        problem(fails(HttpRequest.POST("/v1/auth/login", Map.of("username", "x"))), 401);
    }

    @Test
    void missingExpiredAndForgedTokensAre401() throws Exception {
        problem(fails(HttpRequest.GET("/v1/auth/me")), 401);
        problem(fails(HttpRequest.GET("/v1/auth/me").header("Authorization", "Bearer not.a.jwt")), 401);
        String secret = context.getBean(JwtSecret.class).value();
        String expired = signed(secret, new Date(System.currentTimeMillis() - 60_000), List.of("ADMIN"));
        problem(fails(HttpRequest.GET("/v1/auth/me").header("Authorization", expired)), 401);
        String forged = signed("another secret that is long enough, 1234567890", new Date(
                System.currentTimeMillis() + 60_000), List.of("ADMIN"));
        problem(fails(HttpRequest.GET("/v1/audit/verify").header("Authorization", forged)), 401);
        problem(fails(HttpRequest.GET("/v1/auth/me").header("Authorization", forged)), 401);
        // control: the same claims signed with the real secret pass the signature check
        String genuine = signed(secret, new Date(System.currentTimeMillis() + 60_000), List.of("ADMIN"));
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/v1/audit/verify")
                .header("Authorization", genuine), Map.class).code());
    }

    @Test
    void refreshRotatesAndReuseRevokesTheFamily() throws Exception {
        String name = unique("dave");
        register(name);
        Map<?, ?> first = login(name, PASSWORD);
        String rt1 = (String) first.get("refresh_token");

        HttpResponse<Map> r2 = post("/v1/auth/refresh", Map.of("refreshToken", rt1));
        String rt2 = (String) r2.body().get("refresh_token");
        assertNotEquals(rt1, rt2);
        assertEquals(name, me("Bearer " + r2.body().get("access_token")).body().get("username"));

        HttpResponse<Map> r3 = post("/v1/auth/refresh", Map.of("refreshToken", rt2));
        String rt3 = (String) r3.body().get("refresh_token");

        // rt1 was rotated: presenting it again is a reuse -> 401, and the whole family (rt3) is revoked
        problem(fails(HttpRequest.POST("/v1/auth/refresh", Map.of("refreshToken", rt1))), 401);
        problem(fails(HttpRequest.POST("/v1/auth/refresh", Map.of("refreshToken", rt3))), 401);
        // a separate login is a separate family and still works
        String other = (String) login(name, PASSWORD).get("refresh_token");
        assertEquals(200, post("/v1/auth/refresh", Map.of("refreshToken", other)).code());

        problem(fails(HttpRequest.POST("/v1/auth/refresh", Map.of("refreshToken", "garbage"))), 401);
        // only hashes are stored
        assertEquals(0, count("select count(*) from refresh_tokens where encode(token_hash, 'escape') like '%"
                + rt1.substring(0, 10) + "%'"));
        assertTrue(count("select count(*) from audit_event where type = 'AUTH_REFRESH_FAILED'"
                + " and payload::jsonb->>'reason' = 'reused_token'") >= 1);
    }

    @Test
    void customerCannotVerifyTheAuditLogAdminAndComplianceCan() throws Exception {
        String name = unique("erin");
        register(name);
        String customer = "Bearer " + login(name, PASSWORD).get("access_token");
        problem(fails(HttpRequest.GET("/v1/audit/verify").header("Authorization", customer)), 403);
        problem(fails(HttpRequest.GET("/v1/audit/verify")), 401);
        for (String role : List.of("ADMIN", "COMPLIANCE")) {
            assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/v1/audit/verify")
                    .header("Authorization", TestTokens.bearer(context, role)), Map.class).code());
        }
        problem(fails(HttpRequest.GET("/v1/audit/verify")
                .header("Authorization", TestTokens.bearer(context, "OPERATOR"))), 403);
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/health"), Map.class).code());
    }

    @Test
    void createAdminCommandCreatesAnAdminWhoCanLogIn() throws Exception {
        String name = unique("root");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, CreateAdminCommand.run(context, name, PASSWORD, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString().contains("created ADMIN " + name), out.toString());
        assertFalse(out.toString().contains(PASSWORD));

        Map<?, ?> tokens = login(name, PASSWORD);
        String admin = "Bearer " + tokens.get("access_token");
        assertEquals(List.of("ADMIN"), me(admin).body().get("roles"));
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/v1/audit/verify")
                .header("Authorization", admin), Map.class).code());

        // the same name again, and a weak password, are refused with exit code 1
        assertEquals(1, CreateAdminCommand.run(context, name, PASSWORD, new PrintStream(out), new PrintStream(err)));
        assertEquals(1, CreateAdminCommand.run(context, unique("root"), "short", new PrintStream(out),
                new PrintStream(err)));
        assertEquals(2, CreateAdminCommand.main(new String[0], new PrintStream(out), new PrintStream(err)));
        assertTrue(count("select count(*) from audit_event where type = 'AUTH_ADMIN_CREATED' and actor = '"
                + CreateAdminCommand.ACTOR + "' and payload::jsonb->>'username' = '" + name + "'") == 1);
    }

    @Test
    void passwordsAreStoredAsBcryptHashesNeverAsPlaintext() throws Exception {
        register(unique("frank"));
        assertTrue(count("select count(*) from users") >= 1);
        assertEquals(0, count("select count(*) from users where password_hash like '%" + PASSWORD + "%'"
                + " or username like '%" + PASSWORD + "%' or coalesce(email, '') like '%" + PASSWORD + "%'"));
        assertEquals(0, count("select count(*) from users where password_hash not like '$2y$04$%'"));
        assertEquals(0, count("select count(*) from audit_event where payload like '%" + PASSWORD + "%'"));
        assertEquals(0, count("select count(*) from audit_event where payload like '%wrong password!%'"));
    }

    @Test
    void loginSuccessAndFailureAreAuditedAndTheChainVerifies() throws Exception {
        String name = unique("grace");
        register(name);
        long ok = count("select count(*) from audit_event where type = 'AUTH_LOGIN_SUCCEEDED'");
        long failed = count("select count(*) from audit_event where type = 'AUTH_LOGIN_FAILED'");
        login(name, PASSWORD);
        fails(HttpRequest.POST("/v1/auth/login", Map.of("username", name, "password", "not the password")));
        fails(HttpRequest.POST("/v1/auth/login", Map.of("username", unique("ghost"), "password", PASSWORD)));
        assertEquals(ok + 1, count("select count(*) from audit_event where type = 'AUTH_LOGIN_SUCCEEDED'"));
        assertEquals(failed + 2, count("select count(*) from audit_event where type = 'AUTH_LOGIN_FAILED'"));
        assertEquals(1, count("select count(*) from audit_event where type = 'AUTH_LOGIN_FAILED' and payload::jsonb"
                + "->>'login' = '" + name + "' and payload::jsonb->>'reason' = 'bad_password'"));
        assertEquals(1, count("select count(*) from audit_event where type = 'AUTH_LOGIN_SUCCEEDED'"
                + " and actor = 'user:" + name + "'"));
        assertEquals(1, count("select count(*) from audit_event where type = 'AUTH_REGISTERED'"
                + " and actor = 'user:" + name + "'"));
        assertTrue(auditLog.verify().ok());
    }

    /** Issue 10 §7: a password typed into the username field never reaches the append-only audit log. */
    @Test
    void aPasswordTypedAsTheUsernameIsNotAudited() throws Exception {
        String typo = "Sup3r-Secret-" + UUID.randomUUID().toString().substring(0, 8);
        fails(HttpRequest.POST("/v1/auth/login", Map.of("username", typo, "password", PASSWORD)));
        assertEquals(0, count("select count(*) from audit_event where lower(payload) like '%"
                + typo.toLowerCase() + "%'"), "the typed login of an unknown user is recorded as unknown");
        assertTrue(count("select count(*) from audit_event where type = 'AUTH_LOGIN_FAILED' and payload::jsonb"
                + "->>'login' = 'unknown' and payload::jsonb->>'reason' = 'unknown_user'") >= 1);
    }

    /** Issue 10 §5: a NUL in the public login is a 400 with the audit event written, never a 500. */
    @Test
    void aNulInTheLoginIsRefusedWith400AndAudited() throws Exception {
        long malformed = count("select count(*) from audit_event where type = 'AUTH_LOGIN_FAILED' and payload::jsonb"
                + "->>'reason' = 'malformed'");
        Map<String, Object> p = problem(fails(HttpRequest.POST("/v1/auth/login", Map.of("username", "ali\u0000ce",
                "password", PASSWORD))), 400);
        assertTrue(String.valueOf(p.get("detail")).contains("control characters"), p.toString());
        problem(fails(HttpRequest.POST("/v1/auth/login", Map.of("username", "alice", "password",
                "pass\u0000word-long-enough"))), 400);
        assertEquals(malformed + 2, count("select count(*) from audit_event where type = 'AUTH_LOGIN_FAILED' and "
                + "payload::jsonb->>'reason' = 'malformed'"));
        assertTrue(auditLog.verify().ok());
    }

    @Test
    void jwtSecretIsGeneratedOnceWithMode600() throws Exception {
        Path file = Path.of(context.getBean(BankConfig.class).dataDir()).resolve(JwtSecret.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Files.readString(file).strip(), context.getBean(JwtSecret.class).value());
        // a second instance (a restart) reads the same secret
        assertEquals(context.getBean(JwtSecret.class).value(),
                new JwtSecret(context.getBean(AuthConfig.class), context.getBean(BankConfig.class)).value());
        assertFalse(context.getBean(JwtSecret.class).toString().contains(Files.readString(file).strip()));
    }

    @Test
    void defaultBcryptCostIs12() {
        String hash = new PasswordHasher(new AuthConfig(12, 600, 3600, null), new org.mpcwallet.bank.limits.LimitsConfig(3, 10, 900, 20, 100, 10, 2, 64, 2, 32, 3, 10, 240, 300)).hash(PASSWORD);
        assertTrue(hash.startsWith("$2y$12$"), hash);
        assertEquals(12, context.getBean(AuthConfig.class).bcryptCost() == 4 ? 12 : -1, "tests run with cost 4");
        assertEquals("password must be at least 12 characters", PasswordHasher.policyViolation("elevenchars"));
        assertEquals(null, PasswordHasher.policyViolation("twelve chars"));
    }

    // ---- issue 10 §2: revocation takes effect (docs/controls-hardening.md)

    @Test
    void aDisabledUsersTokenStopsWorkingOnEveryEndpoint() throws Throwable {
        String name = unique("erin");
        register(name);
        Map<?, ?> tokens = login(name, PASSWORD);
        String bearer = "Bearer " + tokens.get("access_token");
        assertEquals(201, http.toBlocking().exchange(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type",
                "RETAIL", "riskProfile", "LOW")).header("Authorization", bearer), Map.class).code());
        sql("update users set disabled = true where username = '" + name + "'");
        within3s(() -> problem(fails(HttpRequest.GET("/v1/wallets").header("Authorization", bearer)), 401));
        problem(fails(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer)), 401);
        problem(fails(HttpRequest.POST("/v1/wallets", Map.of("name", "w2", "type", "RETAIL", "riskProfile", "LOW"))
                .header("Authorization", bearer)), 401);
        problem(fails(HttpRequest.POST("/v1/auth/refresh", Map.of("refreshToken", tokens.get("refresh_token")))),
                401);
        sql("update users set disabled = false where username = '" + name + "'");
        within3s(() -> problem(fails(HttpRequest.GET("/v1/auth/me").header("Authorization", bearer)), 401));
        assertEquals(200, me("Bearer " + login(name, PASSWORD).get("access_token")).code(),
                "enabled again, a new login works; the old token stays revoked");
    }

    @Test
    void aDemotedUsersOldTokenLosesItsRoles() throws Throwable {
        UUID id = realUser(List.of("ADMIN"));
        String secret = context.getBean(JwtSecret.class).value();
        String admin = signed(secret, JWSAlgorithm.HS256, new Date(System.currentTimeMillis() + 60_000), null,
                List.of("ADMIN"), id, 0L);
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/v1/audit/verify")
                .header("Authorization", admin), Map.class).code());
        sql("update users set roles = array['CUSTOMER'] where id = '" + id + "'");
        within3s(() -> problem(fails(HttpRequest.GET("/v1/audit/verify").header("Authorization", admin)), 401));
        assertEquals(1, count("select auth_version from users where id = '" + id + "'"), "the change bumped it");
    }

    @Test
    void logoutRevokesTheRefreshTokenFamilyAndRevealsNothing() throws Exception {
        String name = unique("frank");
        register(name);
        Map<?, ?> first = login(name, PASSWORD);
        String rt1 = (String) first.get("refresh_token");
        String rt2 = (String) post("/v1/auth/refresh", Map.of("refreshToken", rt1)).body().get("refresh_token");
        assertEquals(204, post("/v1/auth/logout", Map.of("refreshToken", rt2)).code());
        problem(fails(HttpRequest.POST("/v1/auth/refresh", Map.of("refreshToken", rt2))), 401);
        assertEquals(204, post("/v1/auth/logout", Map.of("refreshToken", "garbage")).code(), "no oracle");
        assertEquals(204, post("/v1/auth/logout", Map.of("refreshToken", rt2)).code(), "twice is fine");
        assertTrue(count("select count(*) from audit_event where type = 'AUTH_LOGOUT' and payload::jsonb->>'userId'"
                + " = (select id::text from users where username = '" + name + "')") >= 1);
        String other = (String) login(name, PASSWORD).get("refresh_token");
        assertEquals(200, post("/v1/auth/refresh", Map.of("refreshToken", other)).code(), "other logins live on");
    }

    @Test
    void tokensWithoutExpiryWithAFutureNbfOrAnotherAlgorithmAreRefused() throws Exception {
        String secret = context.getBean(JwtSecret.class).value();
        UUID id = realUser(List.of("ADMIN"));
        Date later = new Date(System.currentTimeMillis() + 60_000);
        String good = signed(secret, JWSAlgorithm.HS256, later, null, List.of("ADMIN"), id, 0L);
        assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/v1/audit/verify")
                .header("Authorization", good), Map.class).code(), "control: the same token done right passes");
        for (String bad : List.of(
                signed(secret, JWSAlgorithm.HS256, null, null, List.of("ADMIN"), id, 0L),
                signed(secret, JWSAlgorithm.HS256, later, new Date(System.currentTimeMillis() + 3_600_000),
                        List.of("ADMIN"), id, 0L),
                signed(secret, JWSAlgorithm.HS256, later, null, List.of("ADMIN"), id, null),
                signed(secret, JWSAlgorithm.HS256, later, null, List.of("ADMIN"), id, 7L))) {
            problem(fails(HttpRequest.GET("/v1/audit/verify").header("Authorization", bad)), 401);
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length >= 48) {
            problem(fails(HttpRequest.GET("/v1/audit/verify").header("Authorization", signed(secret,
                    JWSAlgorithm.HS384, later, null, List.of("ADMIN"), id, 0L))), 401);
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length >= 64) {
            problem(fails(HttpRequest.GET("/v1/audit/verify").header("Authorization", signed(secret,
                    JWSAlgorithm.HS512, later, null, List.of("ADMIN"), id, 0L))), 401);
        }
    }
}
