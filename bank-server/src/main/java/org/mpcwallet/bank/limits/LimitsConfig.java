package org.mpcwallet.bank.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Throttling and caps (prefix {@code bank.limits}; environment variables in application.properties;
 * docs/controls-hardening.md §4 and docs/bank-server.md "Limits").
 *
 * @param loginFreeFailures        failed logins of one account before each attempt must wait (1 s, doubling to 30 s)
 * @param loginLockoutFailures     the failed login of one account that locks it
 * @param loginLockoutSeconds      how long a lockout lasts (an ADMIN may clear it earlier); also how long failures
 *                                 are remembered
 * @param addressFreeFailures      failed logins from one client address before each attempt must wait
 * @param addressLockoutFailures   the failed login from one address that locks the address
 * @param registrationsPerAddressPerHour registrations from one client address per hour
 * @param bcryptThreads            threads that hash passwords; failed logins cannot use more CPU than this
 * @param bcryptQueue              password checks that may wait for those threads; more answer 503
 * @param mpcSessionsPerUser       MPC sessions of one user running at once (all instances)
 * @param mpcSessionsTotal         MPC sessions running at once (all users, all instances)
 * @param pendingKeygenWalletsPerUser wallets of one user waiting for key generation (PENDING_KEYGEN)
 * @param keygensPerUserPerHour    key generations one user may start per hour
 * @param presignsPerUserPerHour   presignatures one user may start making per hour (docs/presign-online.md)
 * @param websocketIdleSeconds     an MPC WebSocket without a frame from the device (and no session running) for this
 *                                 long is closed
 */
@ConfigurationProperties("bank.limits")
public record LimitsConfig(
        @Min(0) @Max(1000) int loginFreeFailures,
        @Min(1) @Max(10_000) int loginLockoutFailures,
        @Min(1) @Max(86_400) int loginLockoutSeconds,
        @Min(0) @Max(100_000) int addressFreeFailures,
        @Min(1) @Max(1_000_000) int addressLockoutFailures,
        @Min(1) @Max(10_000_000) int registrationsPerAddressPerHour,
        @Min(1) @Max(64) int bcryptThreads,
        @Min(1) @Max(10_000) int bcryptQueue,
        @Min(1) @Max(1000) int mpcSessionsPerUser,
        @Min(1) @Max(100_000) int mpcSessionsTotal,
        @Min(1) @Max(1000) int pendingKeygenWalletsPerUser,
        @Min(1) @Max(100_000) int keygensPerUserPerHour,
        @Min(1) @Max(100_000) int presignsPerUserPerHour,
        @Min(1) @Max(86_400) int websocketIdleSeconds) {

    public LimitsConfig {
        if (loginLockoutFailures <= loginFreeFailures || addressLockoutFailures <= addressFreeFailures) {
            throw new IllegalArgumentException("a lockout must come after the free failures");
        }
    }

    /** The per-account login throttle. */
    public Throttle accountThrottle() {
        return new Throttle(loginFreeFailures, Duration.ofSeconds(1), Duration.ofSeconds(30), loginLockoutFailures,
                Duration.ofSeconds(loginLockoutSeconds));
    }

    /** The per-address login throttle. */
    public Throttle addressThrottle() {
        return new Throttle(addressFreeFailures, Duration.ofSeconds(1), Duration.ofSeconds(60), addressLockoutFailures,
                Duration.ofSeconds(loginLockoutSeconds));
    }
}
