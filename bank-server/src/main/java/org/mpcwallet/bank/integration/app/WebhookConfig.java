package org.mpcwallet.bank.integration.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;

/**
 * Webhook delivery (prefix {@code bank.webhooks}; docs/integration.md "Webhooks", docs/operations.md).
 *
 * @param signingKeyFile     BANK_WEBHOOK_SIGNING_KEY_FILE: the Ed25519 private key (PKCS#8 PEM); blank means
 *                           {@code <dataDir>/webhook-signing-key}, generated on first start
 * @param pollIntervalMillis how often the dispatcher looks for new events and due retries; 0: never (tests step it)
 * @param retryDelays        the waits after failed attempts 1, 2, …; when they run out the delivery is given up
 * @param disableAfter       an endpoint failing without a success for this long is disabled
 * @param requestTimeout     one attempt's limit, connection to answer
 * @param lease              how long a claimed delivery is reserved; a bank that died mid-delivery is retried after;
 *                           at least twice {@code requestTimeout}
 * @param concurrency        deliveries sent at once
 * @param perSubscription    of those, at most this many to one subscription (a slow receiver keeps to its share)
 */
@ConfigurationProperties("bank.webhooks")
public record WebhookConfig(
        @Nullable String signingKeyFile,
        @Min(0) @Max(60_000) long pollIntervalMillis,
        @NotNull List<Duration> retryDelays,
        @NotNull Duration disableAfter,
        @NotNull Duration requestTimeout,
        @NotNull Duration lease,
        @Min(1) @Max(256) int concurrency,
        @Min(1) @Max(256) int perSubscription) {

    public WebhookConfig {
        if (requestTimeout != null && lease != null && lease.compareTo(requestTimeout.multipliedBy(2)) < 0) {
            // an attempt is cut off at the request timeout; a lease shorter than that (with room to record the
            // outcome) would let the next round claim a delivery that is still being sent
            throw new IllegalArgumentException("BANK_WEBHOOK_LEASE (" + lease + ") must be at least twice "
                    + "BANK_WEBHOOK_TIMEOUT (" + requestTimeout + ")");
        }
    }
}
