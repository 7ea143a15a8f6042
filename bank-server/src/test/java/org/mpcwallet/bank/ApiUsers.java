package org.mpcwallet.bank;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Users for the bank's integration tests, made over the real REST API ({@code /v1/auth/register} and
 * {@code /login}); bank roles are written straight into {@code users} because granting them is an ADMIN's business
 * that {@code AuthTest} covers.
 */
public final class ApiUsers {
    public static final String PASSWORD = "correct horse battery";

    /** A registered, logged-in user and its {@code Authorization} header value. */
    public record User(String id, String name, String bearer) {
    }

    private final HttpClient http;
    private final DataSource dataSource;

    public ApiUsers(HttpClient http, DataSource dataSource) {
        this.http = http;
        this.dataSource = dataSource;
    }

    /** A registered user not signed in yet (staff sign in with a passkey too). */
    public record Registered(String id, String name) {
    }

    /** A new user with a fresh name and the given bank roles (none: a customer), logged in. */
    public User register(String... bankRoles) {
        Registered r = registerOnly(bankRoles);
        Map<?, ?> login = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/login",
                Map.of("username", r.name(), "password", PASSWORD)), Map.class).body();
        return new User(r.id(), r.name(), "Bearer " + login.get("access_token"));
    }

    /** A new user with a fresh name and the given bank roles (none: a customer), not signed in. */
    public Registered registerOnly(String... bankRoles) {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        Map<?, ?> reg = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/register",
                Map.of("username", name, "password", PASSWORD)), Map.class).body();
        String id = (String) reg.get("id");
        if (bankRoles.length > 0) {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "update users set roles = ?::text[] where id = ?")) {
                ps.setString(1, "{" + String.join(",", bankRoles) + "}");
                ps.setObject(2, UUID.fromString(id));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not give " + name + " the roles " + String.join(",", bankRoles),
                        e);
            }
        }
        return new Registered(id, name);
    }
}
