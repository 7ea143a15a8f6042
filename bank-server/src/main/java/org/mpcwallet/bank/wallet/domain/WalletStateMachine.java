package org.mpcwallet.bank.wallet.domain;

/**
 * The wallet status transitions, as a pure function. Allowed: {@code PENDING_KEYGEN -> ACTIVE} (only with a public
 * key and an address), {@code PENDING_KEYGEN -> FAILED} and {@code ACTIVE -> RETIRED} (the key is kept). Nothing
 * else, not even staying in the same status.
 */
public final class WalletStateMachine {
    private WalletStateMachine() {
    }

    /**
     * Returns {@code to} when the transition is allowed.
     *
     * @throws IllegalTransitionException otherwise
     */
    public static WalletStatus transition(WalletStatus from, WalletStatus to, byte[] publicKey, String address) {
        if (from == null || to == null) {
            throw new IllegalTransitionException(from, to, "status missing");
        }
        if (from == WalletStatus.ACTIVE && to == WalletStatus.RETIRED) {
            return to;
        }
        if (from != WalletStatus.PENDING_KEYGEN) {
            throw new IllegalTransitionException(from, to, "only a PENDING_KEYGEN wallet changes status");
        }
        return switch (to) {
            case ACTIVE -> {
                if (publicKey == null || publicKey.length == 0 || address == null || address.isBlank()) {
                    throw new IllegalTransitionException(from, to, "ACTIVE needs a public key and an address");
                }
                yield to;
            }
            case FAILED -> to;
            case PENDING_KEYGEN -> throw new IllegalTransitionException(from, to, "already PENDING_KEYGEN");
            case RETIRED -> throw new IllegalTransitionException(from, to, "only an ACTIVE wallet is retired");
        };
    }

    /** A transition the state machine refuses. */
    public static final class IllegalTransitionException extends RuntimeException {
        private final WalletStatus from;
        private final WalletStatus to;

        public IllegalTransitionException(WalletStatus from, WalletStatus to, String reason) {
            super("illegal wallet status transition " + from + " -> " + to + ": " + reason);
            this.from = from;
            this.to = to;
        }

        public WalletStatus from() {
            return from;
        }

        public WalletStatus to() {
            return to;
        }
    }
}
