package org.mpcwallet.bank.chain;

import java.util.Objects;

/** The outcome of {@link Broadcaster#send(String, String)}. Reasons never contain the raw transaction. */
public sealed interface BroadcastResult {

    /** The node accepted the transaction into its pool now. */
    record Accepted(String hash) implements BroadcastResult {
        public Accepted {
            Objects.requireNonNull(hash, "hash");
        }
    }

    /** The node already has this very transaction (in its pool or on chain): it counts as sent. */
    record AlreadyKnown(String hash) implements BroadcastResult {
        public AlreadyKnown {
            Objects.requireNonNull(hash, "hash");
        }
    }

    /** Not sent, but the same bytes may succeed later (node unreachable, overloaded, rate limited). */
    record Transient(String reason) implements BroadcastResult {
        public Transient {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** These bytes will never be accepted; sending them again is pointless. */
    record Permanent(String reason) implements BroadcastResult {
        public Permanent {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Accepted or AlreadyKnown. */
    default boolean isSent() {
        return this instanceof Accepted || this instanceof AlreadyKnown;
    }
}
