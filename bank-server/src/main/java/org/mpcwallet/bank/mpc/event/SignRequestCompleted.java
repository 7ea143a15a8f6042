package org.mpcwallet.bank.mpc.event;

import java.util.UUID;

/**
 * A co-signing session of a sign request ended, published after its transaction committed: the request is SIGNED,
 * FAILED (its key locked), or one more session of it failed. The pipeline listens, so a transfer moves on at once
 * instead of waiting for its next poll.
 */
public record SignRequestCompleted(UUID signRequestId, UUID walletId, Outcome outcome) {

    public enum Outcome { SIGNED, KEY_LOCKED, SESSION_FAILED }
}
