package org.mpcwallet.bank.metrics.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The bank's own meters (docs/integration.md "Metrics"), besides Micronaut's HTTP server, JVM and connection pool
 * binders: MPC sessions by kind and outcome with their durations ({@code mpc_session_seconds}), key locks
 * ({@code mpc_key_locks_total}), API clients' signed requests by outcome ({@code signed_requests_total}); the
 * gauges are {@link BankGauges}'. Callers report after their transaction committed.
 */
@Singleton
public class BankMetrics {
    private final MeterRegistry registry;

    public BankMetrics(MeterRegistry registry) {
        this.registry = registry;
        // the counters an alert watches exist from the start, at 0 (no gap in a dashboard, "increase" works)
        Counter.builder("mpc.key.locks").description("keys locked after a failed signature check").register(registry);
        for (String outcome : java.util.List.of("signed", "check_failed")) {
            Counter.builder("mpc.signer.decryptions").description("the signer's decryptions of co-signatures by "
                    + "outcome").tag("outcome", outcome).register(registry);
        }
    }

    /** An MPC session ended: {@code kind} KEYGEN/SIGN/REFRESH, {@code outcome} COMPLETED/FAILED/EXPIRED/KEY_LOCKED. */
    public void sessionEnded(String kind, String outcome, Duration took) {
        Timer.builder("mpc.session").description("MPC sessions on the channel, from start to end")
                .tag("kind", kind).tag("outcome", outcome).publishPercentileHistogram()
                .register(registry).record(took.isNegative() ? Duration.ZERO : took);
    }

    /** A key was locked (a failed signature's check; docs/operations.md "Incident: locked key"). */
    public void keyLocked() {
        Counter.builder("mpc.key.locks").description("keys locked after a failed signature check")
                .register(registry).increment();
    }

    /**
     * The signer decrypted a co-signature (P1's final step of a signing session): {@code signed} when the signature
     * verified, {@code check_failed} when it did not and the key locked.
     */
    public void signerDecryption(String outcome) {
        Counter.builder("mpc.signer.decryptions").description("the signer's decryptions of co-signatures by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    /** A signed request of an API client: {@code accepted} or the refusal's reason. */
    public void signedRequest(String outcome) {
        Counter.builder("signed.requests").description("API clients' signed requests by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }
}
