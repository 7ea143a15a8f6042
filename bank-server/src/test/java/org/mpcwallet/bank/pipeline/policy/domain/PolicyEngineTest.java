package org.mpcwallet.bank.pipeline.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.wallet.domain.WalletType;

/** {@link PolicyEngine}: each check blocking, scoping, the order of checks, approvals and the reported rules. */
class PolicyEngineTest {
    private static final UUID WALLET = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final UUID OTHER_WALLET = UUID.fromString("22222222-2222-2222-2222-222222222222");
    private static final String TO = "0x" + "aa".repeat(20);
    private static final String ELSEWHERE = "0x" + "bb".repeat(20);
    private static final String USDC = "0x" + "cc".repeat(20);
    private static final String USDT = "0x" + "dd".repeat(20);
    private static final BigInteger ETHER = BigInteger.TEN.pow(18);

    private static final PolicyScope GLOBAL = new PolicyScope.Global();
    private static final PolicyScope THIS_WALLET = new PolicyScope.Wallet(WALLET);
    private static final PolicyScope OTHER = new PolicyScope.Wallet(OTHER_WALLET);
    private static final PolicyScope RETAIL = new PolicyScope.OfType(WalletType.RETAIL);
    private static final PolicyScope TREASURY = new PolicyScope.OfType(WalletType.TREASURY);

    private static int nextId = 1;

    private static UUID id() {
        return new UUID(0, nextId++);
    }

    private static TransferRequest eth(BigInteger amount) {
        return new TransferRequest(WALLET, WalletType.RETAIL, "ETH", null, TO, amount);
    }

    private static TransferRequest usdc(BigInteger amount) {
        return new TransferRequest(WALLET, WalletType.RETAIL, "USDC", USDC, TO, amount);
    }

    private static PolicyDecision eval(TransferRequest r, Policy... rules) {
        return PolicyEngine.evaluate(new PolicyInput(r, false, List.of(rules), Map.of()));
    }

    private static PolicyDecision.Blocked blocked(PolicyDecision d) {
        return assertInstanceOf(PolicyDecision.Blocked.class, d);
    }

    private static PolicyDecision.Allowed allowed(PolicyDecision d) {
        return assertInstanceOf(PolicyDecision.Allowed.class, d);
    }

    @Test
    void noRulesAllowsWithoutApprovals() {
        PolicyDecision.Allowed a = allowed(eval(eth(ETHER)));
        assertEquals(new PolicyDecision.Allowed(0, List.of(), null), a);
        assertEquals(List.of(), a.matchedRuleIds());
    }

    @Test
    void addressDenylistBlocksCaseInsensitively() {
        Policy deny = Policy.addressDenylist(id(), GLOBAL, null, TO.toUpperCase().replace("0X", "0x"));
        PolicyDecision.Blocked b = blocked(eval(eth(ETHER), deny));
        assertEquals(PolicyCheck.ADDRESS_DENYLIST, b.check());
        assertSame(deny, b.rule());
        assertEquals(List.of(deny.id()), b.matchedRuleIds());
        allowed(eval(eth(ETHER), Policy.addressDenylist(id(), GLOBAL, null, ELSEWHERE)));
    }

    @Test
    void tokenDenylistBlocksTheTokenOnly() {
        Policy deny = Policy.tokenDenylist(id(), GLOBAL, USDC.toUpperCase().replace("0X", "0x"));
        PolicyDecision.Blocked b = blocked(eval(usdc(BigInteger.ONE), deny));
        assertEquals(PolicyCheck.TOKEN_DENYLIST, b.check());
        assertSame(deny, b.rule());
        allowed(eval(eth(BigInteger.ONE), deny));
        allowed(eval(usdc(BigInteger.ONE), Policy.tokenDenylist(id(), GLOBAL, USDT)));
    }

    @Test
    void txLimitAllowsTheLimitAndBlocksAbove() {
        Policy limit = Policy.txLimit(id(), GLOBAL, "ETH", ETHER);
        PolicyDecision.Allowed a = allowed(eval(eth(ETHER), limit));
        assertEquals(List.of(limit), a.matchedRules());
        PolicyDecision.Blocked b = blocked(eval(eth(ETHER.add(BigInteger.ONE)), limit));
        assertEquals(PolicyCheck.TX_LIMIT, b.check());
        assertSame(limit, b.rule());
        assertTrue(b.reason().contains("1000000000000000001"), b.reason());
    }

    @Test
    void txLimitReportsTheTightestExceeded() {
        Policy loose = Policy.txLimit(id(), GLOBAL, "ETH", ETHER.multiply(BigInteger.TEN));
        Policy tight = Policy.txLimit(id(), THIS_WALLET, "ETH", ETHER);
        assertSame(tight, blocked(eval(eth(ETHER.multiply(BigInteger.valueOf(20))), loose, tight)).rule());
        assertSame(tight, blocked(eval(eth(ETHER.multiply(BigInteger.TWO)), loose, tight)).rule());
        assertEquals(List.of(loose, tight), allowed(eval(eth(ETHER), loose, tight)).matchedRules());
    }

    @Test
    void dailyLimitExactlyAtTheLimitIsAllowedAndOneWeiOverIsBlocked() {
        Policy daily = Policy.dailyLimit(id(), GLOBAL, "ETH", ETHER.multiply(BigInteger.valueOf(5)));
        BigInteger used = ETHER.multiply(BigInteger.valueOf(3));
        PolicyInput atLimit = new PolicyInput(eth(ETHER.multiply(BigInteger.TWO)), false, List.of(daily),
                Map.of("ETH", used));
        PolicyDecision.Allowed a = allowed(PolicyEngine.evaluate(atLimit));
        assertSame(daily, a.dailyLimit());
        assertEquals(List.of(daily.id()), a.matchedRuleIds());

        PolicyInput oneWeiOver = new PolicyInput(eth(ETHER.multiply(BigInteger.TWO).add(BigInteger.ONE)), false,
                List.of(daily), Map.of("ETH", used));
        PolicyDecision.Blocked b = blocked(PolicyEngine.evaluate(oneWeiOver));
        assertEquals(PolicyCheck.DAILY_LIMIT, b.check());
        assertSame(daily, b.rule());
    }

    @Test
    void dailyLimitCountsOnlyTheSameAssetsVolume() {
        Policy daily = Policy.dailyLimit(id(), GLOBAL, "ETH", ETHER);
        PolicyInput input = new PolicyInput(eth(ETHER), false, List.of(daily),
                Map.of("USDC", BigInteger.TEN.pow(30)));
        assertSame(daily, allowed(PolicyEngine.evaluate(input)).dailyLimit());
        PolicyInput usedUp = new PolicyInput(eth(BigInteger.ONE), false, List.of(daily), Map.of("ETH", ETHER));
        blocked(PolicyEngine.evaluate(usedUp));
    }

    @Test
    void theTightestDailyLimitIsTheOneToReserveAgainst() {
        Policy loose = Policy.dailyLimit(id(), GLOBAL, "ETH", ETHER.multiply(BigInteger.TEN));
        Policy tight = Policy.dailyLimit(id(), RETAIL, "ETH", ETHER.multiply(BigInteger.TWO));
        Policy tieLater = Policy.dailyLimit(id(), THIS_WALLET, "ETH", ETHER.multiply(BigInteger.TWO));
        PolicyDecision.Allowed a = allowed(eval(eth(ETHER), loose, tight, tieLater));
        assertSame(tight, a.dailyLimit());
        assertEquals(List.of(loose.id(), tight.id(), tieLater.id()), a.matchedRuleIds());
        assertSame(tight, blocked(eval(eth(ETHER.multiply(BigInteger.valueOf(3))), loose, tight, tieLater)).rule());
    }

    @Test
    void scopeByWalletWalletTypeAndGlobal() {
        BigInteger amount = ETHER.multiply(BigInteger.TWO);
        // in scope: this wallet, its type, global
        for (PolicyScope in : List.of(THIS_WALLET, RETAIL, GLOBAL)) {
            blocked(eval(eth(amount), Policy.txLimit(id(), in, "ETH", ETHER)));
            blocked(eval(eth(amount), Policy.addressDenylist(id(), in, null, TO)));
        }
        // out of scope: another wallet, another type
        for (PolicyScope out : List.of(OTHER, TREASURY)) {
            PolicyDecision.Allowed a = allowed(eval(eth(amount), Policy.txLimit(id(), out, "ETH", ETHER),
                    Policy.addressDenylist(id(), out, null, TO), Policy.approvalRequired(id(), out, null, 3)));
            assertEquals(0, a.requiredApprovals());
            assertEquals(List.of(), a.matchedRules());
        }
    }

    @Test
    void assetScoping() {
        Policy usdcOnlyDeny = Policy.addressDenylist(id(), GLOBAL, "USDC", TO);
        blocked(eval(usdc(BigInteger.ONE), usdcOnlyDeny));
        allowed(eval(eth(BigInteger.ONE), usdcOnlyDeny));

        Policy usdcLimit = Policy.txLimit(id(), GLOBAL, "USDC", BigInteger.TEN);
        assertEquals(List.of(), allowed(eval(eth(ETHER), usdcLimit)).matchedRules());
        blocked(eval(usdc(BigInteger.valueOf(11)), usdcLimit));

        Policy usdcApprovals = Policy.approvalRequired(id(), GLOBAL, "USDC", 4);
        assertEquals(0, allowed(eval(eth(ETHER), usdcApprovals)).requiredApprovals());
        assertEquals(4, allowed(eval(usdc(BigInteger.ONE), usdcApprovals)).requiredApprovals());
    }

    @Test
    void allowlistOnlyNeedsAnEntryInScope() {
        Policy entry = Policy.addressAllowlist(id(), THIS_WALLET, null, TO.toUpperCase().replace("0X", "0x"));
        PolicyDecision.Allowed a = allowed(PolicyEngine.evaluate(
                new PolicyInput(eth(ETHER), true, List.of(entry), Map.of())));
        assertEquals(List.of(entry), a.matchedRules());

        PolicyDecision.Blocked none = blocked(PolicyEngine.evaluate(
                new PolicyInput(eth(ETHER), true, List.of(), Map.of())));
        assertEquals(PolicyCheck.ALLOWLIST_ONLY, none.check());
        assertNull(none.rule());
        assertEquals(List.of(), none.matchedRuleIds());

        for (Policy wrong : List.of(Policy.addressAllowlist(id(), THIS_WALLET, null, ELSEWHERE),
                Policy.addressAllowlist(id(), OTHER, null, TO),
                Policy.addressAllowlist(id(), TREASURY, null, TO),
                Policy.addressAllowlist(id(), GLOBAL, "USDC", TO))) {
            assertEquals(PolicyCheck.ALLOWLIST_ONLY, blocked(PolicyEngine.evaluate(
                    new PolicyInput(eth(ETHER), true, List.of(wrong), Map.of()))).check(), wrong.toString());
        }
    }

    @Test
    void allowlistIsIgnoredForAWalletThatIsNotAllowlistOnlyAndNeverBeatsADenylist() {
        Policy entry = Policy.addressAllowlist(id(), GLOBAL, null, TO);
        assertEquals(List.of(), allowed(eval(eth(ETHER), entry)).matchedRules());
        Policy deny = Policy.addressDenylist(id(), GLOBAL, null, TO);
        PolicyDecision.Blocked b = blocked(PolicyEngine.evaluate(
                new PolicyInput(eth(ETHER), true, List.of(entry, deny), Map.of())));
        assertEquals(PolicyCheck.ADDRESS_DENYLIST, b.check());
    }

    @Test
    void checksRunInTheDocumentedOrder() {
        Policy denyAddress = Policy.addressDenylist(id(), GLOBAL, null, TO);
        Policy denyToken = Policy.tokenDenylist(id(), GLOBAL, USDC);
        Policy txLimit = Policy.txLimit(id(), GLOBAL, "USDC", BigInteger.ONE);
        Policy daily = Policy.dailyLimit(id(), GLOBAL, "USDC", BigInteger.ONE);
        TransferRequest r = usdc(BigInteger.TWO);
        List<Policy> all = List.of(daily, txLimit, denyToken, denyAddress); // given in reverse on purpose
        assertEquals(PolicyCheck.ALLOWLIST_ONLY,
                blocked(PolicyEngine.evaluate(new PolicyInput(r, true, all, Map.of()))).check());
        assertEquals(PolicyCheck.ADDRESS_DENYLIST,
                blocked(PolicyEngine.evaluate(new PolicyInput(r, false, all, Map.of()))).check());
        assertEquals(PolicyCheck.TOKEN_DENYLIST, blocked(eval(r, daily, txLimit, denyToken)).check());
        assertEquals(PolicyCheck.TX_LIMIT, blocked(eval(r, daily, txLimit)).check());
        assertEquals(PolicyCheck.DAILY_LIMIT, blocked(eval(r, daily)).check());
    }

    @Test
    void treasuryNeedsTwoApprovalsByDefault() {
        TransferRequest treasury = new TransferRequest(WALLET, WalletType.TREASURY, "ETH", null, TO, ETHER);
        PolicyDecision.Allowed a = allowed(eval(treasury));
        assertEquals(PolicyEngine.TREASURY_DEFAULT_APPROVALS, a.requiredApprovals());
        assertEquals(2, a.requiredApprovals());
        assertEquals(2, allowed(eval(treasury, Policy.approvalRequired(id(), GLOBAL, null, 1))).requiredApprovals());
        assertEquals(3, allowed(eval(treasury, Policy.approvalRequired(id(), TREASURY, null, 3))).requiredApprovals());
        for (WalletType other : List.of(WalletType.RETAIL, WalletType.OPS, WalletType.SETTLEMENT)) {
            assertEquals(0, allowed(eval(new TransferRequest(WALLET, other, "ETH", null, TO, ETHER)))
                    .requiredApprovals(), other.name());
        }
    }

    @Test
    void requiredApprovalsAreTheMaximumOfTheRulesInScope() {
        Policy one = Policy.approvalRequired(id(), GLOBAL, null, 1);
        Policy three = Policy.approvalRequired(id(), THIS_WALLET, "ETH", 3);
        Policy two = Policy.approvalRequired(id(), RETAIL, null, 2);
        Policy outOfScope = Policy.approvalRequired(id(), OTHER, null, 9);
        PolicyDecision.Allowed a = allowed(eval(eth(ETHER), one, three, two, outOfScope));
        assertEquals(3, a.requiredApprovals());
        assertEquals(List.of(one.id(), three.id(), two.id()), a.matchedRuleIds());
    }

    @Test
    void matchedRulesAreReportedInCheckOrder() {
        Policy approvals = Policy.approvalRequired(id(), GLOBAL, null, 2);
        Policy daily = Policy.dailyLimit(id(), GLOBAL, "ETH", ETHER.multiply(BigInteger.TEN));
        Policy txLimit = Policy.txLimit(id(), GLOBAL, "ETH", ETHER.multiply(BigInteger.TWO));
        Policy entry = Policy.addressAllowlist(id(), GLOBAL, null, TO);
        Policy denyOther = Policy.addressDenylist(id(), GLOBAL, null, ELSEWHERE);
        Policy otherWallet = Policy.txLimit(id(), OTHER, "ETH", BigInteger.ONE);
        PolicyDecision.Allowed a = allowed(PolicyEngine.evaluate(new PolicyInput(eth(ETHER), true,
                List.of(approvals, daily, txLimit, entry, denyOther, otherWallet), Map.of("ETH", ETHER))));
        assertEquals(List.of(entry.id(), txLimit.id(), daily.id(), approvals.id()), a.matchedRuleIds());
        assertEquals(2, a.requiredApprovals());
        assertSame(daily, a.dailyLimit());
    }
}
