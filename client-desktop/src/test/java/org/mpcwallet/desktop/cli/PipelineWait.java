package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.mpcwallet.desktop.testing.TestAnvil;

/** Waiting for a transaction request's status over the CLI ({@code wallet status}), mining blocks when asked. */
final class PipelineWait {
    private static final List<String> TERMINAL = List.of("KYT_BLOCKED", "POLICY_BLOCKED", "REJECTED", "FAILED_SIGN",
            "FINALIZED");
    static final Set<String> ON_CHAIN = Set.of("BROADCASTED", "CONFIRMING", "CONFIRMED");

    private PipelineWait() {}

    /**
     * Polls until the request is in one of {@code wanted}; when {@code anvil} is given, mines one block per round
     * while the request waits for the chain (BROADCASTED, CONFIRMING, CONFIRMED). A terminal status not wanted, or the
     * timeout, fails with the request and the bank's log.
     */
    static JsonNode until(Device d, String id, Set<String> wanted, TestAnvil anvil, Duration timeout,
            Supplier<String> logs) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        JsonNode r = null;
        while (System.nanoTime() < until) {
            r = d.json("status", id);
            String s = r.get("status").asText();
            if (wanted.contains(s)) {
                return r;
            }
            if (TERMINAL.contains(s)) {
                throw new AssertionError("request " + id + " ended " + s + ", not " + wanted + ": " + r + "\n"
                        + logs.get());
            }
            if (anvil != null && ON_CHAIN.contains(s)) {
                anvil.mine(1);
            }
            Thread.sleep(150);
        }
        throw new AssertionError("request " + id + " did not reach " + wanted + " in " + timeout + ": " + r + "\n"
                + logs.get());
    }

    static JsonNode until(Device d, String id, String wanted, TestAnvil anvil, Duration timeout, Supplier<String> logs)
            throws InterruptedException {
        return until(d, id, Set.of(wanted), anvil, timeout, logs);
    }
}
