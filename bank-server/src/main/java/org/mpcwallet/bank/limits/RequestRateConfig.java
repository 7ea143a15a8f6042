package org.mpcwallet.bank.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Request rate limits on {@code /v1/**} (prefix {@code bank.limits.requests}; docs/integration.md "Rate limits"):
 * per API client, per signed-in user, and per client address for requests without a caller. Each is a token bucket
 * (a burst, and a rate per second); a request over it is answered 429 with {@code Retry-After}. Per bank instance.
 * Refused signed requests (a wrong signature, an unknown client…) are counted per address before any work, like
 * failed logins: over that budget an address's signed requests get 429 until it refills.
 */
@ConfigurationProperties("bank.limits.requests")
public record RequestRateConfig(
        @Min(1) @Max(1_000_000) int perClientPerSecond,
        @Min(1) @Max(1_000_000) int perClientBurst,
        @Min(1) @Max(1_000_000) int perUserPerSecond,
        @Min(1) @Max(1_000_000) int perUserBurst,
        @Min(1) @Max(1_000_000) int perAddressPerSecond,
        @Min(1) @Max(1_000_000) int perAddressBurst,
        @Min(1) @Max(1_000_000) int refusedSignedPerAddressPerMinute,
        @Min(1) @Max(1_000_000) int refusedSignedPerAddressBurst) {
}
