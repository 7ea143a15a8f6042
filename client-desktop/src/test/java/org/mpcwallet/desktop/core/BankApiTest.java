package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.Jwts;

/**
 * REST handling against the real bank (bank-server's jar as its own process on its embedded PostgreSQL, one per
 * class): tokens, refresh once on 401, problem+json errors, Idempotency-Key (observed in the bank's database).
 */
class BankApiTest {
    private static final String PW = "a long enough password";

    @TempDir
    static Path work;
    private static BankProcesses bank;

    @BeforeAll
    static void startBank() throws Exception {
        // the production default for staff: passkeys (customers, whom the other tests are, do not see it)
        bank = BankProcesses.start(work, new BankProcesses.Options(false, null, null, null,
                java.util.Map.of("BANK_STAFF_SECOND_FACTOR", "required")));
    }

    @AfterAll
    static void stopBank() {
        if (bank != null) {
            bank.close();
        }
    }

    private static String newUser() {
        return "api" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A user registered and logged in; {@code seen} receives every token pair. */
    private static BankApi loggedIn(String user, List<BankApi.Tokens> seen) {
        BankApi api = new BankApi(bank.url(), null, seen::add);
        BankApi.Me me = api.register(user, PW.toCharArray(), null);
        assertEquals(user, me.username());
        assertTrue(me.roles().contains("CUSTOMER"), me.roles().toString());
        api.login(user, PW.toCharArray());
        return api;
    }

    @Test
    void aStaffAccountIsToldToSignInAtTheConsoleWithItsPasskey() throws Exception {
        String user = newUser();
        BankApi api = new BankApi(bank.url(), null, t -> { });
        BankApi.Me me = api.register(user, PW.toCharArray(), null);
        try (Connection c = bank.db(); java.sql.PreparedStatement ps = c.prepareStatement(
                "update users set roles = '{SIGNATORY}' where username = ?")) {
            ps.setString(1, user);
            assertEquals(1, ps.executeUpdate());
        }
        BankApiException e = assertThrows(BankApiException.class, () -> api.login(user, PW.toCharArray()));
        assertTrue(e.getMessage().contains("passkey") && e.getMessage().contains("/admin/"), e.getMessage());
        assertEquals(user, me.username());
    }

    @Test
    void loginStoresTokensAndA401IsRefreshedOnceAndRetried() {
        String user = newUser();
        List<BankApi.Tokens> seen = new ArrayList<>();
        BankApi first = loggedIn(user, seen);
        assertEquals(1, seen.size());
        assertEquals(user, first.me().username());
        BankApi.Tokens issued = seen.get(0);

        // an access token the bank no longer accepts (as after its expiry): its signature is spoiled
        List<BankApi.Tokens> renewed = new ArrayList<>();
        BankApi api = new BankApi(bank.url(), new BankApi.Tokens(Jwts.spoil(issued.accessToken()), issued.refreshToken()),
                renewed::add);
        assertEquals(user, api.me().username());
        assertEquals(1, renewed.size(), "exactly one refresh");
        BankApi.Tokens pair = renewed.get(0);
        assertNotEquals(Jwts.spoil(issued.accessToken()), pair.accessToken());
        assertNotEquals(issued.refreshToken(), pair.refreshToken(), "the refresh token rotates");
        assertEquals(user, api.me().username(), "the new token is used from now on");
        assertEquals(1, renewed.size());
        assertEquals("Tokens[redacted]", pair.toString());
        assertFalse(api.toString().contains(pair.accessToken()));

        // the rotated-out refresh token is spent at the bank: a client still holding it must log in again
        BankApi stale = new BankApi(bank.url(), new BankApi.Tokens(Jwts.spoil(issued.accessToken()),
                issued.refreshToken()), t -> {});
        BankApiException e = assertThrows(BankApiException.class, stale::me);
        assertEquals(401, e.status());
    }

    @Test
    void aRefreshThatFailsTellsTheUserToLogInAgain() {
        BankApi api = new BankApi(bank.url(), new BankApi.Tokens("stale-access", "stale-refresh"), t -> {});
        BankApiException e = assertThrows(BankApiException.class, api::me);
        assertEquals(401, e.status());
        assertEquals("the bank answered 401 Unauthorized: the session has expired; run `wallet login <username>`"
                + " again", e.getMessage());
        assertFalse(e.getMessage().contains("stale"));
    }

    @Test
    void problemJsonBecomesAClearException() {
        String user = newUser();
        BankApi api = loggedIn(user, new ArrayList<>());

        BankApiException bad = assertThrows(BankApiException.class,
                () -> new BankApi(bank.url(), null, t -> {}).login(user, "not the password at all".toCharArray()));
        assertEquals(401, bad.status());
        assertNotNull(bad.detail(), "the bank's problem+json detail is kept");
        assertEquals("the bank answered 401 " + bad.title() + ": " + bad.detail(), bad.getMessage());
        assertFalse(bad.getMessage().contains("not the password at all"));

        BankApiException weak = assertThrows(BankApiException.class,
                () -> new BankApi(bank.url(), null, t -> {}).register(newUser(), "short".toCharArray(), null));
        assertEquals(400, weak.status());
        assertNotNull(weak.detail());
        assertFalse(weak.getMessage().contains("short\""));

        BankApiException nf = assertThrows(BankApiException.class,
                () -> api.getWallet(UUID.randomUUID().toString()));
        assertEquals(404, nf.status());
        assertNotNull(nf.detail());
        assertTrue(nf.getMessage().startsWith("the bank answered 404"), nf.getMessage());

        assertEquals("the bank answered 400 x", BankApi.problem(400, "x", "<html>not json</html>").getMessage());
        assertThrows(WalletException.class, () -> api.getWallet("../admin"));
    }

    @Test
    void creatingSendsAFreshIdempotencyKeyEachTime() throws Exception {
        BankApi api = loggedIn(newUser(), new ArrayList<>());
        List<String> before = idempotencyKeys();
        WalletInfo w1 = api.createWallet("Main", "RETAIL", "LOW");
        WalletInfo w2 = api.createWallet("Main", "RETAIL", "LOW");
        assertEquals("PENDING_KEYGEN", w1.status());
        assertNotEquals(w1.id(), w2.id(), "the same body twice with fresh keys creates two wallets, not a replay");
        List<String> added = new ArrayList<>(idempotencyKeys());
        added.removeAll(before);
        assertEquals(2, added.size(), "the bank recorded one Idempotency-Key per create: " + added);
        assertNotEquals(added.get(0), added.get(1));
        added.forEach(k -> assertTrue(k.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), k));
        assertEquals(2, api.listWallets().size());

        KeyInfo key = api.keyInfo(w1.id());
        assertEquals(w1.id(), key.walletId());
        assertEquals("PENDING_KEYGEN", key.status());
        assertFalse(key.locked());
    }

    @Test
    void anUnreachableBankIsAClearError() {
        BankApi api = new BankApi("http://127.0.0.1:1", null, t -> {});
        WalletException e = assertThrows(WalletException.class, () -> api.login("alice", PW.toCharArray()));
        assertTrue(e.getMessage().startsWith("cannot reach the bank at http://127.0.0.1:1"), e.getMessage());
        assertFalse(e.getMessage().contains(PW));
    }

    /** The keys the bank's Idempotency-Key filter stored (its table {@code idempotency_key}). */
    private static List<String> idempotencyKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = bank.db();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select key from idempotency_key order by created_at")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }
}
