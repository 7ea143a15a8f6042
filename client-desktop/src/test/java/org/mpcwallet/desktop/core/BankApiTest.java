package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.desktop.testing.StubBankRest;

/** REST handling against a stand-in for bank-server's REST shapes: tokens, refresh once on 401, problem+json. */
class BankApiTest {
    private static final String PW = "a long enough password";

    @Test
    void loginStoresTokensAndA401IsRefreshedOnceAndRetried() throws Exception {
        try (StubBankRest bank = new StubBankRest(PW)) {
            List<BankApi.Tokens> seen = new ArrayList<>();
            BankApi api = new BankApi(bank.url(), null, seen::add);
            api.login("alice", PW.toCharArray());
            assertEquals(1, seen.size());
            assertEquals("alice", api.me().username());

            bank.expireAccessToken();
            assertEquals("alice", api.me().username());
            assertEquals(1, bank.refreshes);
            assertEquals(2, seen.size());
            assertNotEquals(seen.get(0).accessToken(), seen.get(1).accessToken());
            assertEquals("Tokens[redacted]", seen.get(1).toString());
            assertFalse(api.toString().contains(seen.get(1).accessToken()));
        }
    }

    @Test
    void aRefreshThatFailsTellsTheUserToLogInAgain() throws Exception {
        try (StubBankRest bank = new StubBankRest(PW)) {
            BankApi api = new BankApi(bank.url(), new BankApi.Tokens("stale-access", "stale-refresh"), t -> {});
            BankApiException e = assertThrows(BankApiException.class, api::me);
            assertEquals(401, e.status());
            assertEquals("the bank answered 401 Unauthorized: the session has expired; run `wallet login <username>`"
                    + " again", e.getMessage());
            assertFalse(e.getMessage().contains("stale"));
        }
    }

    @Test
    void problemJsonBecomesAClearException() throws Exception {
        try (StubBankRest bank = new StubBankRest(PW)) {
            BankApi api = new BankApi(bank.url(), null, t -> {});
            BankApiException bad = assertThrows(BankApiException.class, () -> api.login("alice", "nope".toCharArray()));
            assertEquals("the bank answered 401 Unauthorized: Invalid username or password", bad.getMessage());
            api.login("alice", PW.toCharArray());
            BankApiException nf = assertThrows(BankApiException.class, () -> api.getWallet("no-such-wallet"));
            assertEquals(404, nf.status());
            assertEquals("No such wallet.", nf.detail());
            assertEquals("the bank answered 400 x", BankApi.problem(400, "x", "<html>not json</html>").getMessage());
            assertThrows(WalletException.class, () -> api.getWallet("../admin"));
        }
    }

    @Test
    void creatingSendsAFreshIdempotencyKeyEachTime() throws Exception {
        try (StubBankRest bank = new StubBankRest(PW)) {
            BankApi api = new BankApi(bank.url(), null, t -> {});
            api.login("alice", PW.toCharArray());
            WalletInfo w1 = api.createWallet("Main", "RETAIL", "LOW");
            api.createWallet("Second", "RETAIL", "LOW");
            assertEquals("PENDING_KEYGEN", w1.status());
            assertEquals(2, bank.idempotencyKeys.size());
            assertNotEquals(bank.idempotencyKeys.get(0), bank.idempotencyKeys.get(1));
            assertEquals(2, api.listWallets().size());
            assertTrue(bank.idempotencyKeys.get(0).matches("[0-9a-f-]{36}"));
        }
    }

    @Test
    void anUnreachableBankIsAClearError() {
        BankApi api = new BankApi("http://127.0.0.1:1", null, t -> {});
        WalletException e = assertThrows(WalletException.class, () -> api.login("alice", PW.toCharArray()));
        assertTrue(e.getMessage().startsWith("cannot reach the bank at http://127.0.0.1:1"), e.getMessage());
        assertFalse(e.getMessage().contains(PW));
    }
}
