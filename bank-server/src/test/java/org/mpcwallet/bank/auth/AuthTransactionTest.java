package org.mpcwallet.bank.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.annotation.Transactional;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.auth.app.LoginAttempts;
import org.mpcwallet.bank.auth.app.UserAdmin;
import org.mpcwallet.bank.auth.domain.Role;
import org.mpcwallet.bank.auth.persistence.LoginThrottleRepository;
import org.mpcwallet.bank.auth.persistence.RefreshToken;
import org.mpcwallet.bank.auth.persistence.RefreshTokenRepository;
import org.mpcwallet.bank.auth.persistence.UserRepository;
import org.mpcwallet.bank.db.StoreException;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.wallet.app.Caller;

/**
 * The transaction boundary of the auth repositories on Micronaut Data JDBC (docs/redesign.md "Micronaut Data JDBC"),
 * on the real embedded PostgreSQL: a failure after a repository's write rolls the write back, whether the transaction
 * is a {@code @Transactional} method or the caller's own ({@link Transactions#inTransaction(TransactionOperations,
 * Transactions.Work, java.util.function.Function)}, as {@link TransactionRunner} does for the whole bank) shared with
 * code that still takes a {@code Connection}; a nested transaction joins the outer one; code that takes plain
 * connections from the pool goes on working beside it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTransactionTest implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    @Inject
    TransactionOperations<Connection> transactions;

    @Inject
    TransactionRunner runner;

    @Inject
    RefreshTokenRepository refreshTokens;

    @Inject
    LoginThrottleRepository throttles;

    @Inject
    FailingAfterWrite failing;

    @Inject
    UserAdmin userAdmin;

    @Inject
    UserRepository users;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("auth-tx-");
        p.put("bank.test.failing-after-write", "true");
        return p;
    }

    /** Writes through a repository in a {@code @Transactional} method, then fails. */
    @Singleton
    @Requires(property = "bank.test.failing-after-write", value = "true")
    static class FailingAfterWrite {
        private final LoginAttempts attempts;

        FailingAfterWrite(LoginAttempts attempts) {
            this.attempts = attempts;
        }

        @Transactional
        public LoginAttempts.Claim claim(UUID userId, boolean fail) {
            // LoginAttempts.claim is @Transactional itself: it joins this transaction
            LoginAttempts.Claim claim = attempts.claim(userId, Instant.now());
            if (fail) {
                throw new IllegalStateException("failed after the repository's write");
            }
            return claim;
        }
    }

    private UUID newUser() {
        return UUID.fromString(new ApiUsers(http, dataSource).register().id());
    }

    /** A count on a connection of its own from the pool: what other transactions see. */
    private long committed(String sql, UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return count(c, sql, id);
        }
    }

    private static long count(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static RefreshToken token(UUID userId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        byte[] hash = new byte[32];
        new java.security.SecureRandom().nextBytes(hash);
        return RefreshToken.issued(UUID.randomUUID(), hash, userId, UUID.randomUUID(), now, now.plusSeconds(60));
    }

    @Test
    void aFailureAfterTheRepositoryWriteInATransactionalMethodRollsTheWriteBack() throws Exception {
        UUID user = newUser();
        String rows = "select count(*) from login_throttle where user_id = ?";

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.claim(user, true));
        assertEquals("failed after the repository's write", e.getMessage());
        assertEquals(0, committed(rows, user), "the throttle row written before the failure was rolled back");

        LoginAttempts.Claim claim = failing.claim(user, false);
        assertEquals(1, claim.after().failures());
        assertEquals(1, committed(rows, user), "without the failure the same write commits");
        assertEquals(1, committed("select failures from login_throttle where user_id = ?", user));
    }

    @Test
    void aRepositoryJoinsTheCallersTransactionAndItsConnection() throws Exception {
        UUID user = newUser();
        String byUser = "select count(*) from refresh_tokens where user_id = ? and revoked_at is null";
        long before = committed(byUser, user); // the login's token

        RefreshToken token = token(user);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Transactions.inTransaction(transactions, c -> {
                    refreshTokens.save(token);
                    // the repository wrote on the caller's connection, in its transaction: seen there, not elsewhere
                    assertEquals(before + 1, count(c, byUser, user));
                    assertEquals(before, committed(byUser, user));
                    // a write through the connection, as a repository not moved yet makes it, in the same transaction
                    try (PreparedStatement ps = c.prepareStatement("insert into login_throttle (user_id, failures, "
                            + "updated_at) values (?, 7, now())")) {
                        ps.setObject(1, user);
                        ps.executeUpdate();
                    }
                    assertEquals(7, throttles.lock(user).failures(), "the repository reads the connection's write");
                    throw new IllegalStateException("failed after both writes");
                }, AuthStoreFailure::new));
        assertEquals("failed after both writes", e.getMessage());
        assertEquals(before, committed(byUser, user), "the repository's insert was rolled back");
        assertEquals(0, committed("select count(*) from login_throttle where user_id = ?", user),
                "the connection's insert was rolled back");

        Optional<RefreshToken> stored = Transactions.inTransaction(transactions, c -> {
            refreshTokens.save(token);
            return refreshTokens.lockByHash(token.tokenHash());
        }, AuthStoreFailure::new);
        assertEquals(before + 1, committed(byUser, user), "committed when the work returns");
        assertEquals(token.id(), stored.orElseThrow().id());
        assertEquals(token.expiresAt(), stored.get().expiresAt(), "an Instant round-trips to the microsecond");
        assertEquals(token.familyId(), stored.get().familyId());
        assertNull(stored.get().revokedAt());
    }

    @Test
    void aRoleChangeAndItsAuditEventRollBackTogetherInTheCallersTransaction() throws Exception {
        // UserAdmin.apply (also what four eyes runs in its approval's transaction): the user repository's row lock
        // and update join the Micronaut transaction, the audit append uses its connection
        UUID user = newUser();
        UUID admin = UUID.randomUUID();
        Caller caller = Caller.of(admin, "tx-admin", java.util.List.of(Role.ADMIN.name()));
        UserAdmin.Plan plan = userAdmin.plan(caller, user.toString(), java.util.List.of("CUSTOMER", "VIEWER"));
        String events = "select count(*) from audit_event where type = 'USER_ROLES_CHANGED' "
                + "and payload::jsonb->>'userId' = ?::text";
        long eventsBefore = committed(events, user);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Transactions.inTransaction(transactions, c -> {
                    userAdmin.apply(caller, plan, null);
                    assertEquals(java.util.List.of("CUSTOMER", "VIEWER"), users.lockRoles(user).orElseThrow()
                            .roles(), "the change is seen in its transaction");
                    throw new IllegalStateException("failed after the change");
                }, AuthStoreFailure::new));
        assertEquals("failed after the change", e.getMessage());
        assertEquals(1, committed("select count(*) from users where id = ? and roles = array['CUSTOMER']", user),
                "the roles were rolled back");
        assertEquals(eventsBefore, committed(events, user), "the audit event was rolled back");

        Transactions.inTransaction(transactions, c -> userAdmin.apply(caller, plan, null), AuthStoreFailure::new);
        assertEquals(1, committed("select count(*) from users where id = ? and roles = array['CUSTOMER','VIEWER']",
                user), "committed when the work returns");
        assertEquals(eventsBefore + 1, committed(events, user));
    }

    @Test
    void aDatabaseFailureInTheCallersTransactionBecomesTheCallersException() {
        UUID user = newUser();
        RefreshToken token = token(user);
        AuthStoreFailure failure = assertThrows(AuthStoreFailure.class,
                () -> Transactions.inTransaction(transactions, c -> {
                    refreshTokens.save(token);
                    return refreshTokens.save(token); // the same id again: a unique violation from PostgreSQL
                }, AuthStoreFailure::new));
        assertEquals("23505", failure.sqlState);
    }

    @Test
    void theLockingQueriesRefuseToRunOutsideATransaction() {
        UUID user = newUser();
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> throttles.lock(user)));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> refreshTokens.lockByHash(new byte[32])));
    }

    @Test
    void plainPoolConnectionsWorkBesideMicronautTransactions() throws Exception {
        // the injected DataSource is the bank's pool, not Micronaut Data's contextual proxy (db.PoolDataSource):
        // a connection from it outside any Micronaut transaction is a plain pooled one (the audit log's reads, the
        // chain listener's auto-commit reads, the signer's adapters)
        assertSame(HikariDataSource.class, dataSource.getClass());
        UUID user = newUser();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into login_throttle (user_id, failures, "
                    + "updated_at) values (?, 2, now())")) {
                ps.setObject(1, user);
                ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
        }
        assertEquals(1, committed("select count(*) from login_throttle where user_id = ?", user));
    }

    @Test
    void aNestedTransactionJoinsTheOuterOneAndATransactionOfItsOwnDoesNot() throws Exception {
        UUID user = newUser();
        runner.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into login_throttle (user_id, failures, "
                    + "updated_at) values (?, 2, now())")) {
                ps.setObject(1, user);
                ps.executeUpdate();
            }
        });
        assertEquals(1, committed("select count(*) from login_throttle where user_id = ?", user));

        // every transaction of the bank is a Micronaut one (db.TransactionRunner): work that opens one inside
        // another joins it, on the same connection, and rolls back with it
        assertThrows(IllegalStateException.class, () -> runner.inTransaction(outer -> {
            assertSame(outer, runner.<Connection>inTransaction(inner -> inner),
                    "the nested transaction has the same connection");
            assertEquals(Boolean.TRUE, runner.<Boolean>inTransaction(inner -> clearOn(inner, user)));
            throw new IllegalStateException("the outer transaction rolls back");
        }));
        assertEquals(1, committed("select count(*) from login_throttle where user_id = ?", user),
                "the nested delete rolled back with the outer transaction");

        // one of its own (a single-use token's spending) commits although the outer one rolls back
        assertThrows(IllegalStateException.class, () -> runner.inTransaction(outer -> {
            assertEquals(Boolean.TRUE, runner.<Boolean>inOwnTransaction(own -> own != outer && clearOn(own, user)));
            throw new IllegalStateException("the outer transaction rolls back");
        }));
        assertEquals(0, committed("select count(*) from login_throttle where user_id = ?", user),
                "the delete in a transaction of its own stayed committed");
    }

    @Test
    void workWithoutTheConnectionRunsInTheSameTransactions() throws Exception {
        UUID user = newUser();
        runner.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into login_throttle (user_id, failures, "
                    + "updated_at) values (?, 2, now())")) {
                ps.setObject(1, user);
                ps.executeUpdate();
            }
        });

        // work that takes no connection (TransactionRunner.Task, what the services pass) joins the open transaction
        // as work that takes one does, and rolls back with it
        assertThrows(IllegalStateException.class, () -> runner.inTransaction(outer -> {
            assertSame(outer, runner.inTransaction(() -> runner.<Connection>inTransaction(inner -> inner)),
                    "the connection-less work joined the outer transaction");
            runner.run(() -> clearOn(outer, user));
            throw new IllegalStateException("the outer transaction rolls back");
        }));
        assertEquals(1, committed("select count(*) from login_throttle where user_id = ?", user),
                "the delete rolled back with the outer transaction");

        // in a transaction of its own it commits although the outer one rolls back
        assertThrows(IllegalStateException.class, () -> runner.inTransaction(outer -> {
            assertEquals(Boolean.TRUE, runner.<Boolean>inOwnTransaction(() -> {
                Connection own = runner.inTransaction(inner -> inner);
                return own != outer && clearOn(own, user);
            }));
            throw new IllegalStateException("the outer transaction rolls back");
        }));
        assertEquals(0, committed("select count(*) from login_throttle where user_id = ?", user),
                "the delete in a transaction of its own stayed committed");

        // a database failure inside is a StoreException as for any other work
        StoreException e = assertThrows(StoreException.class, () -> runner.run(() -> {
            throw new SQLException("refused", "42P01");
        }));
        assertEquals("store failed (SQLSTATE 42P01)", e.getMessage());
    }

    @Test
    void aDatabaseFailureIsAStoreExceptionNamingTheSqlStateOnly() {
        StoreException e = assertThrows(StoreException.class, () -> runner.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("select secret_column from no_such_table")) {
                ps.executeQuery();
            }
        }));
        assertEquals("store failed (SQLSTATE 42P01)", e.getMessage());
    }

    /** Deletes the user's throttle row on {@code c} (plain JDBC, as code not moved to Micronaut Data does). */
    private static boolean clearOn(Connection c, UUID user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from login_throttle where user_id = ?")) {
            ps.setObject(1, user);
            return ps.executeUpdate() == 1;
        }
    }

    /** The caller's exception for a database failure (as AuthService's AuthStoreException): its SQL state only. */
    static final class AuthStoreFailure extends RuntimeException {
        final String sqlState;

        AuthStoreFailure(SQLException e) {
            super("store failed");
            this.sqlState = e.getSQLState();
        }
    }
}
