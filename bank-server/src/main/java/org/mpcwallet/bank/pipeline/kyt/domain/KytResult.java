package org.mpcwallet.bank.pipeline.kyt.domain;

import java.util.Objects;

/**
 * One screening answer.
 *
 * @param verdict  ALLOW (proceed), REVIEW (a compliance case decides) or BLOCK (stop)
 * @param reason   why, for the audit and the case (never blank; names no secret)
 * @param provider which provider answered, e.g. {@code list}
 */
public record KytResult(Verdict verdict, String reason, String provider) {
    /** A screening verdict. */
    public enum Verdict {
        ALLOW, REVIEW, BLOCK
    }

    public KytResult {
        Objects.requireNonNull(verdict, "verdict");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason missing");
        }
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("provider missing");
        }
    }
}
