package org.mpcwallet.desktop.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * The real parts an end-to-end test class shares: an anvil that mines only when told and the bank (bank-server's jar
 * on its embedded PostgreSQL, the in-process signer) on it, started once per class and stopped after it; the bank's
 * ADMIN made with the jar's {@code create-admin} and signed in on first use.
 */
public final class BankOnChain implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final TestAnvil anvil;
    public final BankProcesses bank;
    private String adminToken;

    private BankOnChain(TestAnvil anvil, BankProcesses bank) {
        this.anvil = anvil;
        this.bank = bank;
    }

    /** Starts both in {@code work}; the bank counts {@code confirmationBlocks} and its worker runs every 200 ms. */
    public static BankOnChain start(Path work, int confirmationBlocks) throws Exception {
        return start(work, confirmationBlocks, java.util.Map.of());
    }

    /** The same with more of the bank's environment variables. */
    public static BankOnChain start(Path work, int confirmationBlocks, java.util.Map<String, String> env)
            throws Exception {
        TestAnvil anvil = TestAnvil.startWithoutMining();
        try {
            return new BankOnChain(anvil, BankProcesses.start(work, new BankProcesses.Options(false, anvil.rpcUrl(),
                    confirmationBlocks, 200, env)));
        } catch (Exception | Error e) {
            anvil.close();
            throw e;
        }
    }

    public String url() {
        return bank.url();
    }

    /** {@code method path} on the bank, asserting the status; returns the body. */
    public String send(String method, String path, String token, String body, int expected) throws Exception {
        return BankHttp.send(bank.url(), method, path, token, body, expected);
    }

    /** Signs in and returns the access token. */
    public String login(String user, String password) throws Exception {
        return JSON.readTree(send("POST", "/v1/auth/login", null, "{\"username\":\"" + user + "\",\"password\":\""
                + password + "\"}", 200)).get("access_token").asText();
    }

    /** The bank's ADMIN ("root", made with the jar's create-admin on first use), signed in. */
    public synchronized String admin() throws Exception {
        if (adminToken == null) {
            String password = "end-to-end-admin-password-1";
            String out = bank.createAdmin("root", password);
            assertTrue(out.contains("created ADMIN root"), out);
            adminToken = login("root", password);
        }
        return adminToken;
    }

    @Override
    public void close() {
        try {
            bank.close();
        } finally {
            anvil.close();
        }
    }
}
