package org.mpcwallet.bank.web.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.web.BrowserHarness;
import org.mpcwallet.web.PageDriver;

/**
 * The browser wallet end to end (issue 13, docs/client-web.md): the demo web banking page at {@code /wallet/} of this
 * bank (in-process, embedded PostgreSQL) on a real anvil, in headless Debian Chromium. The protocol runs in the page's
 * Web Worker (p2.wasm) against the bank's MPC channel, opened with a single-use ticket. The story: an account created
 * in the page → signed out → wrong password →
 * sign in → create a TREASURY wallet (the progress bar's steps observed) → sending locked until a backup → backup file
 * (the desktop's format; the JVM opens it) → funded on the chain → reload keeps the wallet → send with errors next to
 * the fields → two approvers approve over the API → the co-sign dialog shows what the worker decoded → wrong secret
 * refused → co-signed → FINALIZED on the chain; a heap snapshot of the page holds no byte of the share; a sign
 * request tampered at the bank is refused in the dialog with nothing to sign; site data cleared → restore from the
 * file → signs again; a reused ticket and an injected inline script are refused. Screenshots of every key screen in
 * {@code target/screenshots/browser-wallet/}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserWalletEndToEndTest implements TestPropertyProvider {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String SECRET = "browser wallet secret 1";
    private static final BigInteger ETHER = BigInteger.TEN.pow(18);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    EmbeddedServer server;

    private AnvilProcess anvil;
    private ChannelCutter cutter;
    private PageDriver page;
    private Path shots;
    private User customer;
    private User admin;
    private final List<User> approvers = new ArrayList<>();
    private String walletId;
    private String address;
    private Path backupFile;
    private P2KeyShare share;

    @Override
    public Map<String, String> getProperties() {
        anvil = AnvilProcess.start("--block-time", "1");
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("browser-wallet-");
        p.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
        p.put("bank.pipeline.worker-interval-millis", "200");
        p.put("bank.pipeline.confirmation-blocks", "2");
        p.put("bank.auth.access-token-seconds", "900");
        return p;
    }

    @BeforeAll
    void startBrowser() throws Exception {
        BrowserHarness h = BrowserHarness.require("the browser wallet's end-to-end test", List.of());
        shots = Path.of("target/screenshots/browser-wallet").toAbsolutePath();
        page = PageDriver.start(h, shots);
        cutter = new ChannelCutter(server.getPort());
        admin = new ApiUsers(http, dataSource).register("ADMIN");
    }

    @AfterAll
    void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (cutter != null) {
            cutter.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    /** The origin the browser uses: the bank through {@link ChannelCutter}, which can cut a channel mid-protocol. */
    private String base() {
        return cutter.origin();
    }

    /** Long tasks (over 50 ms) on the page's main thread from now on, collected in {@code window.__long}. */
    private void observeLongTasks() {
        page.eval("(window.__long = [], new PerformanceObserver((l) => l.getEntries().forEach((e) => "
                + "window.__long.push(e.duration))).observe({type: 'longtask'}), true)");
    }

    private void printLongTasks(String phase) {
        String tasks = PageDriver.string(page.eval("JSON.stringify(window.__long)"));
        double max = 0;
        int n = 0;
        for (String x : tasks.replace("[", "").replace("]", "").split(",")) {
            if (!x.isBlank()) {
                max = Math.max(max, Double.parseDouble(x));
                n++;
            }
        }
        System.out.printf("bench op=web_page_long_tasks phase=%s n=%d max_ms=%.0f%n", phase, n, max);
    }

    private Map<?, ?> send(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()), Map.class).body();
    }

    private void signIn() {
        page.waitVisible("#sign-in", 60);
        page.fill("#username", customer.name());
        page.fill("#password", ApiUsers.PASSWORD);
        page.click("#sign-in");
        page.waitText("#screen-title", "My wallets", 30);
    }

    private Object rpc(String method, List<Object> params) throws Exception {
        String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(anvil.rpcUrl())).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Map<?, ?> answer = json.readValue(r.body(), Map.class);
        assertTrue(answer.containsKey("result"), () -> method + " failed: " + r.body());
        return answer.get("result");
    }

    /** A staff member the ADMIN makes a SIGNATORY and an APPROVER of the wallet. */
    private User approver() {
        User u = new ApiUsers(http, dataSource).register();
        send(HttpRequest.PUT("/v1/admin/users/" + u.id() + "/roles", Map.of("roles", List.of("CUSTOMER",
                "SIGNATORY"))), admin);
        send(HttpRequest.POST("/v1/wallets/" + walletId + "/roles", Map.of("userId", u.id(), "role", "APPROVER")),
                admin);
        return u;
    }

    /** {@code u} signed in now (access tokens live 15 minutes; this class runs longer). */
    private User fresh(User u) {
        Map<?, ?> login = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/login",
                Map.of("username", u.name(), "password", ApiUsers.PASSWORD)), Map.class).body();
        return new User(u.id(), u.name(), "Bearer " + login.get("access_token"));
    }

    private void approveAll(String txId) {
        for (User a : approvers) {
            send(HttpRequest.POST("/v1/tx-requests/" + txId + "/approve", Map.of("decision", "APPROVE", "comment",
                    "checked by " + a.name())), fresh(a));
        }
    }

    private String signRequestStatus(String txId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select s.status from sign_requests s join tx_requests t on t.sign_request_id = s.id "
                        + "where t.id = ?::uuid")) {
            ps.setString(1, txId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The wallet's one transfer that waits for approvals. */
    private String transferWaitingForApproval() {
        List<Map> list = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/tx-requests?walletId=" + walletId)
                .header("Authorization", customer.bearer()), Map.class));
        List<String> waiting = list.stream().filter(t -> "APPROVAL_PENDING".equals(t.get("status")))
                .map(t -> (String) t.get("id")).toList();
        assertEquals(1, waiting.size(), () -> "transfers: " + list);
        return waiting.get(0);
    }

    private String headlineStatus() {
        return page.attr("#transfer-headline", "data-status");
    }

    @Test
    @Order(1)
    void signInCreateAWalletAndBackItUp() throws Exception {
        page.go(base() + "/wallet/");
        page.waitVisible("#sign-in", 60);
        observeLongTasks();
        page.eval("(document.querySelector('mpc-wallet').addEventListener('mpc-wallet:device-prepared', "
                + "(e) => { window.__prepared = e.detail.ms; }), true)");
        Map<String, Json.Value> headers = page.responseHeaders(base() + "/wallet/");
        String csp = PageDriver.string(headers.get("content-security-policy"));
        assertNotNull(csp, "the page has a Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("'unsafe-eval'"), csp);
        assertEquals("nosniff", PageDriver.string(headers.get("x-content-type-options")));
        page.shot("sign-in");

        // a new customer creates an account in the page, is signed in, signs out
        String name = "web" + java.util.UUID.randomUUID().toString().substring(0, 8);
        page.click("#to-register");
        page.fill("#new-username", name);
        page.fill("#new-password", ApiUsers.PASSWORD);
        page.fill("#new-password-repeat", "something else");
        page.click("#register");
        page.waitText("#new-password-repeat-error", "differ", 10);
        page.shot("register-passwords-differ");
        page.fill("#new-password", ApiUsers.PASSWORD);
        page.fill("#new-password-repeat", ApiUsers.PASSWORD);
        page.click("#register");
        page.waitText("#screen-title", "My wallets", 30);
        page.click("#sign-out");
        page.waitVisible("#sign-in", 20);
        Map<?, ?> login = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/login",
                Map.of("username", name, "password", ApiUsers.PASSWORD)), Map.class).body();
        customer = new User((String) ((Map<?, ?>) login.get("user")).get("id"), name,
                "Bearer " + login.get("access_token"));

        page.fill("#username", customer.name());
        page.fill("#password", "not the password");
        page.click("#sign-in");
        page.waitText("#password-error", "Wrong user name or password", 20);
        page.shot("wrong-password");
        signIn();
        page.shot("wallets-empty");

        page.eval("(document.querySelector('mpc-wallet').addEventListener('mpc-wallet:progress', "
                + "(e) => (window.__progress = window.__progress || []).push(e.detail)), true)");
        page.click("#create-wallet");
        page.fill("#wallet-name", "Treasury");
        page.select("#wallet-type", "TREASURY");
        page.fill("#wallet-secret", SECRET);
        page.fill("#wallet-secret-repeat", "a different secret!");
        page.click("#create");
        page.waitText("#wallet-secret-repeat-error", "differ", 10);
        page.shot("create-secrets-differ");
        page.fill("#wallet-secret", SECRET);
        page.fill("#wallet-secret-repeat", SECRET);
        page.click("#create");
        page.waitText("#keygen-step", "", 5);
        page.shot("create-in-progress");
        page.waitText("#screen-title", "Treasury", 240);
        String progress = PageDriver.string(page.eval("JSON.stringify(window.__progress)"));
        assertTrue(progress.contains("Exchanging commitments and key proofs") && progress.contains("Key created"),
                progress);
        List<Map> steps = json.readValue(progress, Argument.listOf(Map.class));
        double keygenMs = ((Number) steps.get(steps.size() - 1).get("at")).doubleValue()
                - ((Number) steps.get(0).get("at")).doubleValue();
        System.out.printf("bench op=web_keygen_page ms=%.0f device_setup_ms=%s%n", keygenMs,
                PageDriver.string(page.eval("String(window.__prepared)")));
        printLongTasks("keygen");
        page.shot("wallet-created-not-backed-up");

        walletId = latestWallet();
        Map<?, ?> w = send(HttpRequest.GET("/v1/wallets/" + walletId), customer);
        assertEquals("ACTIVE", w.get("status"));
        address = (String) w.get("address");
        assertEquals(address, page.text("#wallet-address"));
        assertNotNull(page.attr("#send", "disabled"), "sending is locked until a backup exists");
        assertTrue(page.text("#share-state").contains("no backup yet"), page.text("#share-state"));

        page.click("#backup");
        page.fill("#backup-secret", "wrong wallet secret");
        page.click("#download-backup");
        page.waitText("#backup-secret-error", "Wrong wallet secret", 30);
        page.shot("backup-wrong-secret");
        page.fill("#backup-secret", SECRET);
        backupFile = shots.resolve("backup.json");
        String fileName = page.download("#download-backup", backupFile);
        assertEquals("mpc-wallet-backup-" + walletId + ".json", fileName);
        page.waitText("#wallet-notice", "Backup saved", 30);
        assertNull(page.attr("#send", "disabled"), "a backup unlocks sending");
        page.waitVisible("#address-qr", 20);
        assertEquals("ethereum:" + address, readQr(page.shot("backed-up")),
                "the QR code on the page holds the wallet's address");

        // the file is the desktop's format: the JVM opens it with the wallet secret to the wallet's key
        Map<?, ?> bundle = json.readValue(Files.readString(backupFile), Map.class);
        assertEquals("mpcwallet-backup", bundle.get("format"));
        assertEquals(1, bundle.get("version"));
        Map<?, ?> entry = (Map<?, ?>) ((List<?>) bundle.get("wallets")).get(0);
        assertEquals(walletId, entry.get("walletId"));
        assertEquals("wallet-secret", entry.get("sealedWith"));
        Result<byte[], VaultFailure> opened = ShareVault.open(SECRET.toCharArray(),
                Base64.getDecoder().decode((String) entry.get("vault")), walletId, Party.P2);
        assertTrue(opened.isOk(), () -> "the JVM opens the browser's backup: " + opened);
        share = P2KeyShare.decodeFromVault(opened.value());
        assertEquals(address, EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex());

        // funded by a real deposit: 2.5 ETH from anvil's first dev account (unlocked), seen by the bank's listener
        rpc("eth_sendTransaction", List.of(Map.of("from", AnvilProcess.DEV_ADDRESS, "to", address,
                "value", "0x22b1c8c1227a0000")));
    }

    private String latestWallet() {
        List<Map> list = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets")
                .header("Authorization", customer.bearer()), Map.class));
        return (String) list.get(list.size() - 1).get("id");
    }

    @Test
    @Order(2)
    void aReloadAsksToSignInAgainAndKeepsTheWallet() throws Exception {
        awaitConfirmedDeposit();
        page.reload();
        signIn();
        String row = page.text("[data-wallet='" + walletId + "']");
        assertTrue(row.contains("2.5 ETH") && row.contains("backed up"), row);
        page.shot("wallets-after-reload");
    }

    /** The bank's listener saw the deposit of the first test and counted its confirmations. */
    private void awaitConfirmedDeposit() throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        List<Map> deposits = List.of();
        while (deposits.stream().noneMatch(d -> "CONFIRMED".equals(d.get("status")))) {
            assertTrue(System.currentTimeMillis() < end, () -> "no confirmed deposit within 60 s");
            Thread.sleep(300);
            deposits = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets/" + walletId + "/deposits")
                    .header("Authorization", customer.bearer()), Map.class));
        }
    }

    @Test
    @Order(3)
    void sendApproveCoSignAndFollowToFinal() throws Exception {
        admin = fresh(admin);
        approvers.add(approver());
        approvers.add(approver());
        page.click("[data-wallet='" + walletId + "']");
        page.waitText("#wallet-balance", "2.5 ETH", 20);
        String deposit = page.text("#deposit-list");
        assertTrue(deposit.toLowerCase().contains("2.5 eth from 0xf39fd6") && deposit.contains("Confirmed"), deposit);
        page.shot("wallet-funded");
        page.click("#send");
        page.fill("#recipient", "0x1234");
        page.fill("#amount", "0.1");
        page.click("#submit-transfer");
        page.waitText("#recipient-error", "40 hexadecimal digits", 10);
        page.fill("#recipient", TO);
        page.fill("#amount", "0.1234567890123456789");
        page.click("#submit-transfer");
        page.waitText("#amount-error", "18 decimal places", 10);
        page.shot("send-errors");
        page.fill("#amount", "0.1");
        page.fill("#note", "office rent");
        page.click("#submit-transfer");
        page.waitText("#transfer-headline", "Waiting for approval: 0 of 2", 30);
        page.shot("waiting-for-approval");
        String txId = transferWaitingForApproval();

        page.eval("(function () { const el = document.querySelector('mpc-wallet'); window.__marks = {};"
                + " el.addEventListener('mpc-wallet:cosign-confirmed', (e) => { window.__marks.confirmed = e.detail.at; });"
                + " el.addEventListener('mpc-wallet:cosigned', (e) => { window.__marks.done = e.detail.at; });"
                + " el.addEventListener('mpc-wallet:progress', (e) => { if (e.detail.op === 'cosign') {"
                + " (window.__marks.steps = window.__marks.steps || []).push([e.detail.label, e.detail.at]); } });"
                + " return true; })()");
        approveAll(txId);
        page.waitVisible("#cosign-dialog", 60);
        observeLongTasks();
        String rows = page.text("#cosign-rows");
        assertTrue(rows.contains(EthAddress.parse(TO).toChecksumHex()) && rows.contains("0.1 ETH")
                && rows.contains("Local test chain (chain 31337)"), rows);
        assertTrue(page.text("#cosign-verdict").contains("exactly the transfer you created"),
                page.text("#cosign-verdict"));
        page.shot("cosign-dialog");
        page.fill("#cosign-secret", "wrong wallet secret");
        page.click("#cosign");
        page.waitText("#cosign-secret-error", "Wrong wallet secret", 30);
        assertEquals("PENDING", signRequestStatus(txId), "a wrong secret changes nothing at the bank");
        page.shot("cosign-wrong-secret");
        page.fill("#cosign-secret", SECRET);
        page.click("#cosign");
        page.waitHidden("#cosign-dialog", 60);
        page.waitText("#transfer-headline", "Done: the transfer is final", 120);
        page.shot("transfer-final");
        String marks = PageDriver.string(page.eval("JSON.stringify(window.__marks)"));
        Map<?, ?> m = json.readValue(marks, Map.class);
        double confirmed = ((Number) m.get("confirmed")).doubleValue();
        double ms = ((Number) m.get("done")).doubleValue() - confirmed;
        System.out.printf("bench op=web_cosign_confirm_to_done ms=%.1f%n", ms);
        // where the time goes: the ticket, the share opened (PBKDF2) while the channel connects, the protocol
        StringBuilder split = new StringBuilder();
        split.append(String.format(" ticket_ms=%.1f", ((Number) ((Map<?, ?>) json.readValue(PageDriver.string(
                page.eval("JSON.stringify(performance.getEntriesByName('mpc-wallet:cosign-ticket').pop())")),
                Map.class)).get("startTime")).doubleValue() - confirmed));
        for (Object step : (List<?>) m.get("steps")) {
            List<?> s = (List<?>) step;
            split.append(String.format(" [%s]=%.1f", s.get(0).toString().replace(' ', '_'),
                    ((Number) s.get(1)).doubleValue() - confirmed));
        }
        System.out.println("bench op=web_cosign_split" + split);
        printLongTasks("cosign");

        Map<?, ?> t = send(HttpRequest.GET("/v1/tx-requests/" + txId), customer);
        assertEquals("FINALIZED", t.get("status"));
        Map<?, ?> receipt = (Map<?, ?>) rpc("eth_getTransactionReceipt", List.of(t.get("txHash")));
        assertEquals("0x1", receipt.get("status"));
        assertEquals(new BigInteger("100000000000000000"), new BigInteger(((String) rpc("eth_getBalance",
                List.of(TO, "latest"))).substring(2), 16));

        // the page's main thread never held the share: no form of x2 in a heap snapshot taken after signing
        Path snapshot = page.heapSnapshot(shots.resolve("page-heap.heapsnapshot"));
        String heap = Files.readString(snapshot, StandardCharsets.UTF_8).toLowerCase();
        for (String form : shareForms()) {
            assertFalse(heap.contains(form), "the page's heap holds the share (" + form.length() + " chars)");
        }
        Files.delete(snapshot);
    }

    /** x2 as hex (padded and not), decimal and base64: the forms a leak would take in a JavaScript heap. */
    private List<String> shareForms() {
        BigInteger x2 = share.x2();
        byte[] b = x2.toByteArray();
        byte[] fixed = new byte[32];
        System.arraycopy(b, Math.max(0, b.length - 32), fixed, Math.max(0, 32 - b.length), Math.min(32, b.length));
        return List.of(HexFormat.of().formatHex(fixed), x2.toString(16), x2.toString(),
                Base64.getEncoder().encodeToString(fixed).toLowerCase());
    }

    @Test
    @Order(5)
    void aSignRequestTamperedAtTheBankIsRefusedInTheDialog() throws Exception {
        customer = fresh(customer);
        admin = fresh(admin);
        // the page waits on the wallet list while the transfer is made and tampered with; it is left unsigned, so
        // its nonce stays taken: this test runs after the others that need a transfer to be mined
        page.click("#nav-wallets");
        page.waitText("#screen-title", "My wallets", 20);
        Map<?, ?> t = send(HttpRequest.POST("/v1/tx-requests", Map.of("walletId", walletId, "asset", "ETH", "to", TO,
                "amount", "20000000000000000")).header("Idempotency-Key", java.util.UUID.randomUUID().toString()),
                customer);
        String txId = (String) t.get("id");
        awaitStatus(txId, "APPROVAL_PENDING");
        approveAll(txId);
        awaitStatus(txId, "SIGN_PENDING");
        tamperRecipient(txId, "0x00000000000000000000000000000000000000aa");
        page.click("[data-wallet='" + walletId + "']");
        page.click("[data-transfer='" + txId + "']");
        page.waitVisible("#cosign-dialog", 60);
        assertTrue(page.text("#cosign-title").startsWith("Refused"), page.text("#cosign-title"));
        assertTrue(page.text("#cosign-verdict").contains("Nothing was signed"), page.text("#cosign-verdict"));
        assertEquals(0, page.count("#cosign"), "no button to co-sign a refused request");
        assertEquals(0, page.count("#cosign-secret"), "no secret asked for");
        page.shot("tampered-request-refused");
        page.click("#cosign-close");
        assertEquals("PENDING", signRequestStatus(txId));

        // the bank showing another address for the wallet than the one of the share this browser holds
        String real = address;
        setWalletAddress("0x00000000000000000000000000000000000000aa");
        try {
            page.click("#nav-wallets");
            page.click("[data-wallet='" + walletId + "']");
            page.waitVisible("#address-mismatch", 20);
            assertEquals(0, page.count("#wallet-address"), "the bank's address is not shown to deposit to");
            assertNotNull(page.attr("#send", "disabled"));
            page.shot("address-mismatch");
        } finally {
            setWalletAddress(real);
        }
    }

    private void setWalletAddress(String a) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update wallets set address = ? where id = ?::uuid")) {
            ps.setString(1, a);
            ps.setString(2, walletId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private void awaitStatus(String txId, String status) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        String last = null;
        while (System.currentTimeMillis() < end) {
            last = (String) send(HttpRequest.GET("/v1/tx-requests/" + txId), customer).get("status");
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(txId + " is " + last + ", not " + status);
    }

    /**
     * What a bank insider could do: point the sign request at {@code to} and store that transaction's hash (after
     * the pipeline opened the request: a moment after SIGN_PENDING, once it has the nonce and the fees).
     */
    private void tamperRecipient(String txId, String to) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        while (!"PENDING".equals(signRequestStatus(txId)) && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        try (Connection c = dataSource.getConnection()) {
            String id;
            Eip1559Transaction tx;
            try (PreparedStatement ps = c.prepareStatement("select id, chain_id, nonce, max_priority_fee_per_gas, "
                    + "max_fee_per_gas, gas_limit, value_wei, data from sign_requests where status = 'PENDING' "
                    + "and id = (select sign_request_id from tx_requests where id = ?::uuid)")) {
                ps.setString(1, txId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "a pending sign request");
                    id = rs.getString(1);
                    tx = new Eip1559Transaction(rs.getBigDecimal(2).toBigInteger(), rs.getBigDecimal(3)
                            .toBigInteger(), rs.getBigDecimal(4).toBigInteger(), rs.getBigDecimal(5).toBigInteger(),
                            rs.getBigDecimal(6).toBigInteger(), EthAddress.parse(to), rs.getBigDecimal(7)
                            .toBigInteger(), rs.getBytes(8));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update sign_requests set to_address = ?, signing_hash = ? "
                    + "where id = ?::uuid")) {
                ps.setString(1, to.toLowerCase());
                ps.setBytes(2, tx.signingHash());
                ps.setString(3, id);
                assertEquals(1, ps.executeUpdate());
            }
        }
    }

    @Test
    @Order(4)
    void siteDataClearedRestoreFromTheFileAndSignAgain() throws Exception {
        customer = fresh(customer);
        page.cdp("Storage.clearDataForOrigin", "{\"origin\":\"" + base() + "\",\"storageTypes\":\"all\"}");
        page.reload();
        signIn();
        page.waitVisible("#restore-card", 20);
        page.shot("no-share-after-site-data-cleared");
        page.click("#restore");
        page.upload("#backup-file", backupFile);
        page.fill("#restore-secret", "wrong wallet secret");
        page.click("#restore-now");
        page.waitText("#restore-secret-error", "Wrong wallet secret", 30);
        page.shot("restore-wrong-secret");
        page.upload("#backup-file", backupFile);
        page.fill("#restore-secret", SECRET);
        page.click("#restore-now");
        page.waitText("#wallet-notice", "Restored from your backup file", 30);
        page.shot("restored");

        page.click("#send");
        page.fill("#recipient", TO);
        page.fill("#amount", "0.05");
        page.click("#submit-transfer");
        page.waitText("#transfer-headline", "Waiting for approval", 30);
        approveAll(transferWaitingForApproval());
        page.waitVisible("#cosign-dialog", 60);
        page.fill("#cosign-secret", SECRET);
        page.click("#cosign");
        page.waitHidden("#cosign-dialog", 60);
        page.waitText("#transfer-headline", "Done: the transfer is final", 120);
        page.shot("restored-wallet-signed");
    }

    @Test
    @Order(6)
    void aConnectionDroppedInTheMiddleOfAKeygenFailsTheWalletAndThePageOffersARetry() throws Exception {
        page.click("#nav-wallets");
        page.waitText("#screen-title", "My wallets", 20);
        page.click("#create-wallet");
        page.fill("#wallet-name", "Everyday");
        page.fill("#wallet-secret", SECRET);
        page.fill("#wallet-secret-repeat", SECRET);
        cutter.armCutAtFirstProtocolMessage();
        page.click("#create");
        page.waitText("#wallet-secret-error", "connection to the bank was lost", 240); // after the device's preparation
        assertTrue(cutter.didCut(), "the channel was cut after the bank's first protocol message");
        page.shot("keygen-connection-lost");
        List<Map> wallets = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets")
                .header("Authorization", customer.bearer()), Map.class));
        Map<?, ?> cutOff = wallets.stream().filter(w -> "Everyday".equals(w.get("name"))).findFirst().orElseThrow();
        long end = System.currentTimeMillis() + 30_000;
        String status = (String) cutOff.get("status");
        while (!"FAILED".equals(status) && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            status = (String) send(HttpRequest.GET("/v1/wallets/" + cutOff.get("id")), customer).get("status");
        }
        assertEquals("FAILED", status, "the bank failed the wallet whose keygen was cut off");
        assertEquals("0", PageDriver.string(page.eval("(async () => { const r = await new Promise((res) => {"
                + " const q = indexedDB.open('mpc-wallet'); q.onsuccess = () => res(q.result); });"
                + " const n = await new Promise((res) => { const g = r.transaction('vaults').objectStore('vaults')"
                + ".getKey('" + cutOff.get("id") + "'); g.onsuccess = () => res(g.result === undefined ? 0 : 1); });"
                + " r.close(); return String(n); })()")), "no share of the failed wallet is kept");

        // the retry: the same form, a new wallet
        page.fill("#wallet-secret", SECRET);
        page.fill("#wallet-secret-repeat", SECRET);
        page.click("#create");
        page.waitText("#screen-title", "Everyday", 60);
        page.shot("keygen-retried");
    }

    @Test
    @Order(7)
    void aPasskeyUnlocksTheWalletThroughTheVirtualAuthenticator() throws Exception {
        page.cdp("WebAuthn.enable", "{\"enableUI\":false}");
        page.cdp("WebAuthn.addVirtualAuthenticator", "{\"options\":{\"protocol\":\"ctap2\",\"ctap2Version\":"
                + "\"ctap2_1\",\"transport\":\"internal\",\"hasResidentKey\":true,\"hasUserVerification\":true,"
                + "\"isUserVerified\":true,\"automaticPresenceSimulation\":true,\"hasPrf\":true}}");
        // the wallet made on the retry: its own nonces (the tampered treasury transfer keeps one taken)
        List<Map> wallets = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets")
                .header("Authorization", customer.bearer()), Map.class));
        Map<?, ?> everyday = wallets.stream().filter(w -> "Everyday".equals(w.get("name"))
                && "ACTIVE".equals(w.get("status"))).findFirst().orElseThrow();
        String everydayId = (String) everyday.get("id");
        rpc("anvil_setBalance", List.of(everyday.get("address"), "0xde0b6b3a7640000")); // 1 ETH
        page.click("#nav-wallets");
        page.click("[data-wallet='" + everydayId + "']");
        page.waitText("#wallet-balance", "1 ETH", 20);
        page.click("#backup");
        page.fill("#backup-secret", SECRET);
        page.download("#download-backup", shots.resolve("backup-everyday.json"));
        page.waitText("#wallet-notice", "Backup saved", 30);

        page.click("#add-passkey");
        page.shot("passkey-setup");
        page.fill("#passkey-secret", SECRET);
        page.click("#create-passkey");
        page.waitText("#wallet-notice", "Your passkey now unlocks this wallet", 60);
        page.waitVisible("#passkey-state", 10);
        page.shot("passkey-added");

        page.click("#send");
        page.fill("#recipient", TO);
        page.fill("#amount", "0.01");
        page.click("#submit-transfer");
        page.waitVisible("#cosign-dialog", 60);
        page.shot("cosign-with-passkey");
        page.click("#cosign-passkey");
        page.waitHidden("#cosign-dialog", 60);
        page.waitText("#transfer-headline", "Done: the transfer is final", 120);
        page.shot("passkey-cosigned-final");
    }

    @Test
    @Order(8)
    void aReusedTicketAndAnInjectedInlineScriptAreRefused() {
        String token = fresh(customer).bearer();
        String result = PageDriver.string(page.eval("(async () => {"
                + " const r = await fetch('/v1/mpc/tickets', {method: 'POST', headers: {Authorization: '" + token
                + "'}});"
                + " const t = await r.json();"
                + " const open = () => new Promise((res) => { const ws = new WebSocket('ws://' + location.host + t.path);"
                + "   ws.onopen = () => { ws.close(); res('opened'); }; ws.onerror = () => res('refused'); });"
                + " return (await open()) + ',' + (await open()); })()"));
        assertEquals("opened,refused", result);

        String injected = PageDriver.string(page.eval("(async () => {"
                + " let violated = false;"
                + " document.addEventListener('securitypolicyviolation', () => { violated = true; });"
                + " const s = document.createElement('script'); s.textContent = 'window.__injected = true;';"
                + " document.body.append(s);"
                + " await new Promise((r) => setTimeout(r, 200));"
                + " return String(window.__injected === true) + ',' + violated; })()"));
        assertEquals("false,true", injected, "the inline script did not run and the policy reported it");
    }

    /** The QR code in a screenshot, decoded by ZXing as a phone's camera app would. */
    private static String readQr(Path png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        int[] pixels = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        com.google.zxing.BinaryBitmap bitmap = new com.google.zxing.BinaryBitmap(
                new com.google.zxing.common.HybridBinarizer(new com.google.zxing.RGBLuminanceSource(img.getWidth(),
                        img.getHeight(), pixels)));
        return new com.google.zxing.qrcode.QRCodeReader().decode(bitmap, Map.of(
                com.google.zxing.DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }

    /** A transfer of {@code amount} ETH from the open wallet page, co-signed by {@code cosign}, followed to final. */
    private void sendAndCoSign(String amount, Runnable cosign, String shot) {
        page.click("#send");
        page.fill("#recipient", TO);
        page.fill("#amount", amount);
        page.click("#submit-transfer");
        page.waitVisible("#cosign-dialog", 60);
        cosign.run();
        page.waitHidden("#cosign-dialog", 60);
        page.waitText("#transfer-headline", "Done: the transfer is final", 120);
        page.shot(shot);
    }

    @Test
    @Order(9)
    void anAuthorizedKeyRefreshThenTheBanksCopyRestoresTheWalletAfterSiteDataIsCleared() throws Exception {
        customer = fresh(customer);
        admin = fresh(admin);
        List<Map> wallets = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets")
                .header("Authorization", customer.bearer()), Map.class));
        String everydayId = (String) wallets.stream().filter(w -> "Everyday".equals(w.get("name"))
                && "ACTIVE".equals(w.get("status"))).findFirst().orElseThrow().get("id");
        page.click("#nav-wallets");
        page.click("[data-wallet='" + everydayId + "']");
        page.waitVisible("#refresh-key", 20);

        // not authorized yet: refused, nothing changes
        page.click("#refresh-key");
        page.fill("#refresh-secret", SECRET);
        page.click("#run-refresh");
        page.waitText("#refresh-secret-error", "has not authorized a key refresh", 60);
        page.shot("refresh-not-authorized");

        send(HttpRequest.POST("/v1/admin/wallets/" + everydayId + "/refresh", Map.of("reason",
                "routine rotation of device shares")), admin);
        page.eval("(window.__refresh = [], document.querySelector('mpc-wallet').addEventListener('mpc-wallet:progress', "
                + "(e) => { if (e.detail.op === 'refresh') { window.__refresh.push(e.detail.label); } }), true)");
        page.fill("#refresh-secret", SECRET);
        page.click("#run-refresh");
        page.waitText("#wallet-notice", "is refreshed (epoch 1)", 120);
        String steps = PageDriver.string(page.eval("JSON.stringify(window.__refresh)"));
        assertTrue(steps.contains("sealing your new share") && steps.contains("Key refreshed"), steps);
        assertEquals(1L, ((Number) send(HttpRequest.GET("/v1/wallets/" + everydayId + "/mpc"), customer)
                .get("epoch")).longValue());
        assertNotNull(page.attr("#send", "disabled"), "the old backup holds the old share: sending waits for a new one");
        assertEquals(1, page.count("#passkey-state"), "the passkey's envelope moved to the new share");
        page.shot("refreshed-back-up-now");

        Path oldBackup = shots.resolve("backup-everyday.json");
        page.click("#backup");
        page.fill("#backup-secret", SECRET);
        page.download("#download-backup", shots.resolve("backup-everyday-epoch1.json"));
        page.waitText("#wallet-notice", "Backup saved", 30);
        sendAndCoSign("0.01", () -> page.click("#cosign-passkey"), "refreshed-passkey-cosigned");

        // the bank's copy: sealed in the worker under a recovery code the bank never sees
        page.click("#nav-wallets");
        page.click("[data-wallet='" + everydayId + "']");
        page.click("#backup");
        page.fill("#copy-secret", "wrong wallet secret");
        page.click("#make-bank-copy");
        page.waitText("#copy-secret-error", "Wrong wallet secret", 30);
        page.fill("#copy-secret", SECRET);
        page.click("#make-bank-copy");
        page.waitVisible("#recovery-code", 60);
        String code = page.text("#recovery-code");
        assertTrue(code.matches("([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}"), code);
        page.shot("bank-copy-recovery-code");
        page.click("#code-noted");
        page.waitVisible("#bank-copy-state", 20);
        Map<?, ?> stored = send(HttpRequest.GET("/v1/wallets/" + everydayId + "/device-backup"), customer);
        assertEquals(1, ((Number) stored.get("keyEpoch")).intValue());
        byte[] envelope = Base64.getDecoder().decode((String) stored.get("envelope"));
        assertFalse(ShareVault.open(SECRET.toCharArray(), envelope, everydayId, Party.P2).isOk(),
                "the wallet secret does not open the bank's copy");
        assertTrue(ShareVault.open(code.replace("-", "").toCharArray(), envelope, everydayId, Party.P2)
                .isOk(), "the recovery code does");

        // site data cleared: the backup from before the refresh is refused, the bank's copy restores the wallet
        page.cdp("Storage.clearDataForOrigin", "{\"origin\":\"" + base() + "\",\"storageTypes\":\"all\"}");
        page.reload();
        signIn();
        page.click("#restore");
        page.upload("#backup-file", oldBackup);
        page.fill("#restore-secret", SECRET);
        page.click("#restore-now");
        page.waitText("#backup-file-error", "made before the key of wallet Everyday was refreshed", 60);
        page.shot("restore-backup-from-before-the-refresh");
        page.select("#bank-restore-wallet", everydayId);
        page.fill("#recovery-code-input", "0000-0000-0000-0000-0000-0000-0000-0000");
        page.fill("#bank-restore-secret", "new browser secret 2");
        page.fill("#bank-restore-secret-repeat", "new browser secret 2");
        page.click("#restore-from-bank");
        page.waitText("#recovery-code-input-error", "does not open the bank's copy", 60);
        page.shot("bank-copy-wrong-code");
        page.fill("#recovery-code-input", code.toLowerCase().replace("-", " "));
        page.fill("#bank-restore-secret", "new browser secret 2");
        page.fill("#bank-restore-secret-repeat", "new browser secret 2");
        page.click("#restore-from-bank");
        page.waitText("#wallet-notice", "Restored from the bank's copy", 60);
        page.shot("restored-from-bank-copy");
        assertNotNull(page.attr("#send", "disabled"), "a backup file for the new wallet secret comes first");
        page.click("#backup");
        page.fill("#backup-secret", "new browser secret 2");
        page.download("#download-backup", shots.resolve("backup-everyday-restored.json"));
        page.waitText("#wallet-notice", "Backup saved", 30);
        sendAndCoSign("0.02", () -> {
            page.fill("#cosign-secret", "new browser secret 2");
            page.click("#cosign");
        }, "bank-copy-restored-cosigned");
    }

    /** The items of a page (docs/integration.md "Pagination"). */
    @SuppressWarnings("unchecked")
    private static List<Map> items(Map<?, ?> page) {
        return (List<Map>) page.get("items");
    }
}
