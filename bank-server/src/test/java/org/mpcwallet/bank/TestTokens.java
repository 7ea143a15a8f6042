package org.mpcwallet.bank;

import io.micronaut.context.ApplicationContext;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.mpcwallet.bank.auth.app.AuthService;

/**
 * Access tokens signed by a test server's own secret, for endpoints that need a role. The user is real: a row in
 * {@code users} with those roles (tokens of unknown users are refused, docs/controls-hardening.md §2).
 */
public final class TestTokens {
    /** A bcrypt-shaped hash nothing verifies against: these users never log in with a password. */
    private static final String NO_PASSWORD = "$2y$04$" + "x".repeat(53);

    private TestTokens() {
    }

    /** {@code "Bearer <jwt>"} genuinely signed, for a user id that does not exist (refused: 401). */
    public static String bearerOfUnknownUser(ApplicationContext ctx, String... roles) {
        Authentication a = Authentication.build("nobody", List.of(roles),
                Map.of(AuthService.CLAIM_USER_ID, UUID.randomUUID().toString(), AuthService.CLAIM_VERSION, 0L));
        return "Bearer " + ctx.getBean(TokenGenerator.class).generateToken(a, 300).orElseThrow();
    }

    /** {@code "Bearer <jwt>"} for a new user with the given roles, valid for 5 minutes. */
    public static String bearer(ApplicationContext ctx, String... roles) {
        UUID id = UUID.randomUUID();
        String name = ("test-" + String.join("-", roles) + "-" + id.toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try (Connection c = ctx.getBean(DataSource.class).getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into users (id, username, password_hash, roles) values (?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, name);
            ps.setString(3, NO_PASSWORD);
            ps.setArray(4, c.createArrayOf("text", roles.length == 0 ? new String[] {"CUSTOMER"} : roles));
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("creating the test user failed", e);
        }
        Authentication a = Authentication.build(name, List.of(roles),
                Map.of(AuthService.CLAIM_USER_ID, id.toString(), AuthService.CLAIM_VERSION, 0L));
        return "Bearer " + ctx.getBean(TokenGenerator.class).generateToken(a, 300).orElseThrow();
    }
}
