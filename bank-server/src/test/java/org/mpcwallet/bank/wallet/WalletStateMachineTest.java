package org.mpcwallet.bank.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.wallet.domain.WalletStateMachine;
import org.mpcwallet.bank.wallet.domain.WalletStateMachine.IllegalTransitionException;
import org.mpcwallet.bank.wallet.domain.WalletStatus;

/** The pure status transition function: every pair of statuses. */
class WalletStateMachineTest {
    private static final byte[] KEY = new byte[33];

    @Test
    void pendingToActiveNeedsKeyAndAddress() {
        assertEquals(WalletStatus.ACTIVE,
                WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, WalletStatus.ACTIVE, KEY, "addr1"));
        assertThrows(IllegalTransitionException.class,
                () -> WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, WalletStatus.ACTIVE, null, "a"));
        assertThrows(IllegalTransitionException.class,
                () -> WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, WalletStatus.ACTIVE, new byte[0], "a"));
        assertThrows(IllegalTransitionException.class,
                () -> WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, WalletStatus.ACTIVE, KEY, null));
        assertThrows(IllegalTransitionException.class,
                () -> WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, WalletStatus.ACTIVE, KEY, " "));
    }

    @Test
    void pendingToFailed() {
        assertEquals(WalletStatus.FAILED,
                WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, WalletStatus.FAILED, null, null));
    }

    @Test
    void activeToRetiredKeepsTheKey() {
        assertEquals(WalletStatus.RETIRED,
                WalletStateMachine.transition(WalletStatus.ACTIVE, WalletStatus.RETIRED, KEY, "addr1"));
    }

    @Test
    void nothingElse() {
        for (WalletStatus from : WalletStatus.values()) {
            for (WalletStatus to : WalletStatus.values()) {
                boolean allowed = (from == WalletStatus.PENDING_KEYGEN
                        && (to == WalletStatus.ACTIVE || to == WalletStatus.FAILED))
                        || (from == WalletStatus.ACTIVE && to == WalletStatus.RETIRED);
                if (!allowed) {
                    IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                            () -> WalletStateMachine.transition(from, to, KEY, "addr1"), from + " -> " + to);
                    assertEquals(from, e.from());
                    assertEquals(to, e.to());
                }
            }
        }
        assertThrows(IllegalTransitionException.class,
                () -> WalletStateMachine.transition(null, WalletStatus.ACTIVE, KEY, "a"));
        assertThrows(IllegalTransitionException.class,
                () -> WalletStateMachine.transition(WalletStatus.PENDING_KEYGEN, null, KEY, "a"));
    }
}
