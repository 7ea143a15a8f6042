package org.mpcwallet.bank.auth.persistence;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.bank.limits.Throttle;

/** Table {@code login_throttle} (V17): one account's failed sign-ins; the caller owns the transaction. */
@Singleton
public class LoginThrottleRepository {

    /** The account's state, its row locked until the transaction ends; CLEAR when there is none. */
    public Throttle.State lock(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into login_throttle (user_id, failures, updated_at) "
                + "values (?, 0, now()) on conflict do nothing")) {
            ps.setObject(1, userId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select failures, last_failure_at, next_attempt_at, "
                + "locked_until from login_throttle where user_id = ? for update")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Throttle.State(rs.getInt(1), instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                        instant(rs.getTimestamp(4)));
            }
        }
    }

    /** Stores {@code s} for the account (CLEAR deletes the row). */
    public void save(Connection c, UUID userId, Throttle.State s) throws SQLException {
        if (s.equals(Throttle.State.CLEAR)) {
            clear(c, userId);
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("update login_throttle set failures = ?, last_failure_at = ?, "
                + "next_attempt_at = ?, locked_until = ?, updated_at = now() where user_id = ?")) {
            ps.setInt(1, s.failures());
            ps.setTimestamp(2, timestamp(s.lastFailureAt()));
            ps.setTimestamp(3, timestamp(s.nextAttemptAt()));
            ps.setTimestamp(4, timestamp(s.lockedUntil()));
            ps.setObject(5, userId);
            ps.executeUpdate();
        }
    }

    /** Forgets the account's failures; true when there was a row. */
    public boolean clear(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from login_throttle where user_id = ?")) {
            ps.setObject(1, userId);
            return ps.executeUpdate() == 1;
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
