package org.mpcwallet.desktop.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mpcwallet.desktop.core.Deposit;

/** Deposits as the wallet page shows them. */
class DepositViewTest {
    private static Deposit deposit(String token, String amount, String verdict, String status) {
        return new Deposit("d-1", "0xabc", 0, token == null ? "ETH" : "USDX", token, "0xfrom", amount, 12L, verdict,
                null, status, "2026-12-06T10:00:00Z");
    }

    @Test
    void amountsAndStates() {
        assertEquals("0.5 ETH", DepositView.amount(deposit(null, "500000000000000000", "ALLOW", "CONFIRMED")));
        assertEquals("2500000 base units of USDX", DepositView.amount(deposit("0xtoken", "2500000", "ALLOW",
                "CONFIRMED")));
        assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", DepositView.from(new Deposit("d", "0x", 0, "ETH",
                null, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "1", 1L, "ALLOW", null, "CONFIRMED", null)));
        assertEquals("0xfrom", DepositView.from(deposit(null, "1", "ALLOW", "CONFIRMED")));
        assertEquals("Confirmed", DepositView.status(deposit(null, "1", "ALLOW", "CONFIRMED")));
        assertEquals("Seen, waiting for confirmations", DepositView.status(deposit(null, "1", "ALLOW", "DETECTED")));
        assertEquals("Dropped by a chain reorganisation", DepositView.status(deposit(null, "1", "ALLOW", "REORGED")));
        assertEquals("Held by compliance", DepositView.status(deposit(null, "1", "REVIEW", "CONFIRMED")));
        assertEquals("Blocked by compliance", DepositView.status(deposit(null, "1", "BLOCK", "CONFIRMED")));
    }
}
