package org.mpcwallet.bank.pipeline.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.wallet.domain.WalletType;

/** The value records' own rules: each malformed rule, request or input is refused at construction. */
class PolicyTest {
    private static final UUID ID = new UUID(0, 1);
    private static final UUID WALLET = new UUID(0, 2);
    private static final PolicyScope GLOBAL = new PolicyScope.Global();
    private static final String ADDR = "0x" + "aA".repeat(20);

    @Test
    void addressesAreStoredLowerCase() {
        assertEquals(ADDR.toLowerCase(), Policy.addressDenylist(ID, GLOBAL, null, ADDR).address());
        assertEquals(ADDR.toLowerCase(), Policy.tokenDenylist(ID, GLOBAL, ADDR).token());
        TransferRequest r = new TransferRequest(WALLET, WalletType.OPS, "USDC", ADDR, ADDR, BigInteger.ONE);
        assertEquals(ADDR.toLowerCase(), r.to());
        assertEquals(ADDR.toLowerCase(), r.tokenContract());
    }

    @Test
    void eachTypeNeedsItsOwnFieldAndNoOther() {
        BigInteger one = BigInteger.ONE;
        // missing required field
        bad(PolicyType.ADDRESS_DENYLIST, null, null, null, null, null);
        bad(PolicyType.ADDRESS_ALLOWLIST, null, null, null, null, null);
        bad(PolicyType.TOKEN_DENYLIST, null, null, null, null, null);
        bad(PolicyType.TX_LIMIT, "ETH", null, null, null, null);
        bad(PolicyType.DAILY_LIMIT, "ETH", null, null, null, null);
        bad(PolicyType.APPROVAL_REQUIRED, null, null, null, null, null);
        // a field of another type
        bad(PolicyType.ADDRESS_DENYLIST, null, ADDR, ADDR, null, null);
        bad(PolicyType.TOKEN_DENYLIST, null, ADDR, ADDR, null, null);
        bad(PolicyType.TX_LIMIT, "ETH", null, null, one, 2);
        bad(PolicyType.APPROVAL_REQUIRED, null, null, null, one, 2);
        bad(PolicyType.ADDRESS_ALLOWLIST, null, ADDR, null, one, null);
    }

    @Test
    void valueRanges() {
        bad(PolicyType.ADDRESS_DENYLIST, null, "0x1234", null, null, null);
        bad(PolicyType.TOKEN_DENYLIST, null, null, "0x" + "g".repeat(40), null, null);
        bad(PolicyType.TX_LIMIT, "ETH", null, null, BigInteger.valueOf(-1), null);
        bad(PolicyType.APPROVAL_REQUIRED, null, null, null, null, 0);
        bad(PolicyType.APPROVAL_REQUIRED, null, null, null, null, 11);
        bad(PolicyType.ADDRESS_DENYLIST, "eth", ADDR, null, null, null);
        bad(PolicyType.ADDRESS_DENYLIST, "A".repeat(17), ADDR, null, null, null);
        Policy.txLimit(ID, GLOBAL, "ETH", BigInteger.ZERO);
        Policy.approvalRequired(ID, GLOBAL, null, Policy.MAX_APPROVALS);
    }

    @Test
    void aLimitNeedsAnAsset() {
        bad(PolicyType.TX_LIMIT, null, null, null, BigInteger.TEN, null);
        bad(PolicyType.DAILY_LIMIT, null, null, null, BigInteger.TEN, null);
    }

    @Test
    void scopeOfARow() {
        assertEquals(new PolicyScope.Wallet(WALLET), PolicyScope.of(WALLET, null));
        assertEquals(new PolicyScope.OfType(WalletType.TREASURY), PolicyScope.of(null, WalletType.TREASURY));
        assertInstanceOf(PolicyScope.Global.class, PolicyScope.of(null, null));
        assertThrows(IllegalArgumentException.class, () -> PolicyScope.of(WALLET, WalletType.TREASURY));
    }

    @Test
    void requestRules() {
        assertThrows(IllegalArgumentException.class,
                () -> new TransferRequest(WALLET, WalletType.OPS, "ETH", null, ADDR, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new TransferRequest(WALLET, WalletType.OPS, "ETH", null, ADDR, null));
        assertThrows(IllegalArgumentException.class,
                () -> new TransferRequest(WALLET, WalletType.OPS, "ETH", null, "0x12", BigInteger.ONE));
        assertThrows(IllegalArgumentException.class,
                () -> new TransferRequest(WALLET, WalletType.OPS, "ETH", "0x12", ADDR, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class,
                () -> new TransferRequest(WALLET, WalletType.OPS, "", null, ADDR, BigInteger.ONE));
        assertThrows(NullPointerException.class,
                () -> new TransferRequest(null, WalletType.OPS, "ETH", null, ADDR, BigInteger.ONE));
        assertThrows(NullPointerException.class,
                () -> new TransferRequest(WALLET, null, "ETH", null, ADDR, BigInteger.ONE));
    }

    @Test
    void inputRules() {
        TransferRequest r = new TransferRequest(WALLET, WalletType.OPS, "ETH", null, ADDR, BigInteger.ONE);
        assertThrows(IllegalArgumentException.class,
                () -> new PolicyInput(r, false, List.of(), Map.of("ETH", BigInteger.valueOf(-1))));
        assertThrows(NullPointerException.class, () -> new PolicyInput(r, false, null, Map.of()));
        assertThrows(NullPointerException.class, () -> new PolicyInput(null, false, List.of(), Map.of()));
        assertEquals(BigInteger.ZERO, new PolicyInput(r, false, List.of(), Map.of()).usedTodayOfAsset());
    }

    @Test
    void decisionRules() {
        assertThrows(IllegalArgumentException.class,
                () -> new PolicyDecision.Blocked(PolicyCheck.TX_LIMIT, null, "no rule"));
        assertThrows(IllegalArgumentException.class,
                () -> new PolicyDecision.Blocked(PolicyCheck.ALLOWLIST_ONLY, null, " "));
        assertThrows(IllegalArgumentException.class, () -> new PolicyDecision.Allowed(-1, List.of(), null));
        assertThrows(IllegalArgumentException.class, () -> new PolicyDecision.Allowed(0, List.of(),
                Policy.txLimit(ID, GLOBAL, "ETH", BigInteger.ONE)));
    }

    private static void bad(PolicyType type, String asset, String address, String token, BigInteger limit,
                            Integer approvals) {
        assertThrows(IllegalArgumentException.class,
                () -> new Policy(ID, type, GLOBAL, asset, address, token, limit, approvals),
                type + " " + asset + " " + address + " " + token + " " + limit + " " + approvals);
    }
}
