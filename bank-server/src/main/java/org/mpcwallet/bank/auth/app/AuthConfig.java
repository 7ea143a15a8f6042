package org.mpcwallet.bank.auth.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Authentication settings (prefix {@code bank.auth}, mapped from environment variables in application.properties).
 *
 * @param bcryptCost          BANK_BCRYPT_COST: bcrypt work factor (2^cost rounds); 12 in production, tests lower it
 * @param accessTokenSeconds  BANK_ACCESS_TOKEN_SECONDS: lifetime of a JWT access token (60-900)
 * @param refreshTokenSeconds BANK_REFRESH_TOKEN_SECONDS: lifetime of an opaque refresh token
 * @param jwtSecret           BANK_JWT_SECRET: HS256 signing secret (at least 32 characters); when unset, a random one
 *                            is generated once and kept in {@code $BANK_DATA_DIR/jwt-secret} (mode 600). Never logged.
 */
@ConfigurationProperties("bank.auth")
public record AuthConfig(
        @Min(4) @Max(31) int bcryptCost,
        @Min(60) @Max(900) int accessTokenSeconds,
        @Min(300) @Max(90 * 24 * 3600) int refreshTokenSeconds,
        @Nullable String jwtSecret) {

    public AuthConfig {
        jwtSecret = jwtSecret == null || jwtSecret.isBlank() ? null : jwtSecret;
        if (jwtSecret != null && jwtSecret.length() < 32) {
            throw new IllegalArgumentException("BANK_JWT_SECRET must be at least 32 characters");
        }
    }

    @Override
    public String toString() {
        return "AuthConfig[bcryptCost=" + bcryptCost + ", accessTokenSeconds=" + accessTokenSeconds
                + ", refreshTokenSeconds=" + refreshTokenSeconds + ", jwtSecret="
                + (jwtSecret == null ? "unset" : "(redacted)") + "]";
    }
}
