package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.web.BrowserHarness;
import org.mpcwallet.web.PageDriver;

/**
 * The admin console (issue 15, docs/admin-console.md) in real Chromium against the real bank, PostgreSQL and anvil,
 * with the production second factor. Approvals: two approvers sign in with password and a passkey (Chromium's virtual
 * authenticator through the DevTools protocol), each registering their passkey at the first sign-in; the queue shows
 * what deciding needs; each approves with a comment after a fresh passkey confirmation (step-up); the transfer,
 * co-signed by the owner's device, reaches FINALIZED. A new transfer appears without reloading; a rejection without a
 * reason is refused next to the field; an inline script injected into the page does not run (CSP). Compliance: an
 * officer allows a held transfer's case with a reason and resumes it. Audit: the chain verifies, and a row edited in
 * PostgreSQL shows as broken at its sequence number. A customer is turned away. axe-core finds no serious or critical
 * accessibility violation on any screen. Screenshots in {@code target/screenshots/admin/}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AdminConsoleTest extends PipelineHarness {
    @jakarta.inject.Inject
    org.mpcwallet.bank.pipeline.deposit.app.ChainListener listener;

    private PageDriver page;
    private String axe;
    private final java.util.List<String> accessibility = new java.util.ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = super.getProperties();
        p.put("bank.auth.passkey.second-factor", "required");
        p.put("bank.four-eyes", "required");
        return p;
    }

    @BeforeAll
    void browser() throws Exception {
        BrowserHarness h = BrowserHarness.require("the admin console test", List.of());
        page = PageDriver.start(h, Path.of("target/screenshots/admin").toAbsolutePath());
        axe = java.nio.file.Files.readString(h.toolsDir.resolve("axe-core/axe.min.js"));
        page.addVirtualPasskey();
    }

    @AfterAll
    void close() {
        if (page != null) {
            page.close();
        }
    }

    /** axe-core on the page as it is now: serious and critical violations are kept for the end of the test. */
    private void scan(String screen) {
        page.eval("(() => { if (!window.axe) { " + axe + "\n } return true; })()");
        String found = PageDriver.string(page.eval("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', "
                + "'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then(r => r.violations.filter(v => "
                + "v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ' (' + v.impact + '): ' + v.help"
                + " + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')).join('\\n'))"));
        if (!found.isBlank()) {
            accessibility.add(screen + ": " + found);
        }
    }

    private void assertAccessible() {
        assertTrue(accessibility.isEmpty(), () -> "axe-core: " + String.join("\n", accessibility));
    }

    /** The console's sign-in form, signing out whoever is signed in (the console's own way). */
    private void freshPage() {
        page.go(base() + "/admin/");
        String state = PageDriver.string(page.eval("new Promise(done => { const t = setInterval(() => { "
                + "if (document.querySelector('#sign-in-form')) { clearInterval(t); done('form'); } "
                + "else if (document.querySelector('#sign-out')) { clearInterval(t); done('signed-in'); } }, 50); })"));
        if (state.equals("signed-in")) {
            page.click("#sign-out");
        }
        page.waitVisible("#sign-in-form", 15);
    }

    private String base() {
        return "http://localhost:" + server.getPort();
    }

    private void grantApprover(String walletId, User approver, User by) throws Exception {
        grantWalletRole(walletId, approver, by, "APPROVER");
    }

    private void grantWalletRole(String walletId, User to, User by, String role) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into wallet_roles (wallet_id, user_id, role, granted_at, granted_by) "
                        + "values (?::uuid, ?::uuid, ?, now(), ?::uuid)")) {
            ps.setString(1, walletId);
            ps.setString(2, to.id());
            ps.setString(3, role);
            ps.setString(4, by.id());
            ps.executeUpdate();
        }
    }

    /**
     * A call of the console's API module as the signed-in user ({@code call} an expression on the module, e.g.
     * {@code post('/v1/...', {...})}): its answer as text, or "status detail" when the bank refused.
     */
    private String apiFromPage(String call) {
        return PageDriver.string(page.eval("(async () => { const m = await import('/admin/api.js'); try { "
                + "return String(await m." + call + "); } catch (e) { return e.status + ' ' + e.message; } })()"));
    }

    /** Signs in at the console: password, then the passkey (registered at the first sign-in). */
    private void signIn(User u, boolean firstTime, String shotPrefix) {
        freshPage();
        page.fill("#username", u.name());
        page.fill("#password", ApiUsers.PASSWORD);
        if (shotPrefix != null) {
            page.shot(shotPrefix + "-sign-in");
        }
        page.click("#sign-in");
        page.waitText("#passkey-title", firstTime ? "Register your passkey" : "Confirm with your passkey", 15);
        if (shotPrefix != null) {
            page.shot(shotPrefix + (firstTime ? "-register-passkey" : "-confirm-passkey"));
            scan(firstTime ? "register passkey" : "confirm passkey");
        }
        page.click("#use-passkey");
        page.waitText("#me", u.name(), 15);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void approversDecideInTheConsoleWithTheirPasskeysAndTheTransferIsFinalized() throws Exception {
        User owner = user();
        User approver1 = user("SIGNATORY");
        User approver2 = user("OPERATOR");
        HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base()
                + "/admin/")).build(), HttpResponse.BodyHandlers.ofString());
        String csp = index.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'")
                && !csp.contains("unsafe"), csp);
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            grantApprover(w.walletId(), approver1, owner);
            grantApprover(w.walletId(), approver2, owner);
            String id = (String) txRequest(owner, w.walletId(), TO, "1250000000000000000").get("id");
            until(id, owner, "APPROVAL_PENDING");

            // a wrong password is said next to the form, and nothing else happens
            freshPage();
            scan("sign-in");
            page.fill("#username", approver1.name());
            page.fill("#password", "not the password at all");
            page.click("#sign-in");
            page.waitVisible("#sign-in-error", 10);
            assertFalse(page.text("#sign-in-error").isBlank());
            page.shot("approver1-wrong-password");

            signIn(approver1, true, "approver1");
            String row = "tr[data-id='" + id + "']";
            page.waitVisible(row, 10);
            String shown = page.text(row);
            assertTrue(shown.contains("1.25 ETH") && shown.contains("Not on the allowlist")
                    && shown.contains(owner.name()) && shown.contains("KYT ALLOW") && shown.contains("0 of 2")
                    && shown.contains("TREASURY") && shown.contains(" ETH") && shown.contains("in 2 d"), shown);
            page.shot("approver1-queue");
            scan("approvals queue");

            page.fill(row + " input.comment", "Invoice 2026-118 checked against the contract");
            page.click(row + " button.approve");
            page.waitText("#decided", "1 of 2", 20);
            page.waitHidden(row, 5);
            page.shot("approver1-approved");
            assertEquals(1, ((Map<?, ?>) get(id, owner)).get("votes") instanceof List<?> v ? v.size() : -1);
            // a second vote: the page no longer offers it, and the API refuses it anyway
            assertEquals("409 You have already voted on this request.", apiFromPage("withStepUp('POST', "
                    + "'/v1/tx-requests/" + id + "/approve', { decision: 'APPROVE' })"));

            // the creator of a transfer never approves it: listed apart, with why, and refused by the API
            grantWalletRole(w.walletId(), approver1, owner, "OPERATOR");
            String own = apiFromPage("post('/v1/tx-requests', { walletId: '" + w.walletId() + "', asset: 'ETH', "
                    + "to: '" + TO + "', amount: '3000000000000000' }).then(r => r.id)");
            until(own, owner, "APPROVAL_PENDING");
            page.reload();
            page.waitVisible("#mine li[data-id='" + own + "']", 15);
            assertTrue(page.text("#mine-section").contains("You cannot approve a transfer you created"));
            assertEquals(0, page.count("tr[data-id='" + own + "']"), "not in the creator's queue");
            page.shot("approver1-own-transfer");
            assertEquals("403 The creator of a request can never approve it (segregation of duties).",
                    apiFromPage("withStepUp('POST', '/v1/tx-requests/" + own + "/approve', { decision: 'APPROVE' })"));

            page.click("#sign-out");
            page.waitVisible("#sign-in-form", 10);

            signIn(approver2, true, null);
            page.waitVisible(row, 10);
            page.fill(row + " input.comment", "ok");
            long clicked = System.nanoTime();
            page.click(row + " button.approve");
            page.waitText("#decided", "all approvals are in", 20);
            // measured, not asserted (docs/benchmarks.md): the click, the passkey step-up (two calls and the
            // authenticator), the vote, until the page says the transfer went on to signing
            System.out.printf("BENCH console: approve click to SIGN_PENDING shown, with step-up: %d ms%n",
                    (System.nanoTime() - clicked) / 1_000_000);
            page.shot("approver2-approved");
            Map<?, ?> signPending = until(id, owner, "SIGN_PENDING");
            assertNotNull(signPending);
            Map<?, ?> withRequest = untilSignRequest(id, owner);
            Map<String, Object> done = cosign(device, owner, (String) withRequest.get("signRequestId"), w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);
            assertEquals("FINALIZED", until(id, owner, "FINALIZED").get("status"));

            // a new transfer appears without reloading (the page polls every second)
            String second = (String) txRequest(owner, w.walletId(), TO, "2000000000000000").get("id");
            until(second, owner, "APPROVAL_PENDING");
            String row2 = "tr[data-id='" + second + "']";
            page.waitVisible(row2, 3);
            // rejecting needs a reason, said next to the field
            page.click(row2 + " button.reject");
            page.waitText(row2 + " .row-status", "Say why you reject it", 5);
            page.shot("approver2-reject-needs-reason");
            page.fill(row2 + " input.comment", "Duplicate of the payment approved this morning");
            page.click(row2 + " button.reject");
            page.waitText("#decided", "Rejected", 20);
            assertEquals("REJECTED", get(second, owner).get("status"));
            page.shot("approver2-rejected");

            // the page's policy stops an inline script injected into it
            page.eval("(() => { const s = document.createElement('script'); s.textContent = "
                    + "'window.injected = true'; document.body.append(s); return true; })()");
            assertEquals("false", PageDriver.string(page.eval("String(window.injected === true)")));
        }
        assertAccessible();
        List<String> log = page.log();
        assertTrue(log.stream().noneMatch(l -> l.contains("pageerror") || (l.contains("error")
                && !l.contains("Content Security Policy") && !l.contains("401") && !l.contains("403")
                && !l.contains("409"))), // the refusals the test provokes
                () -> "the console logged errors: " + log);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void complianceAllowsAHeldTransferWithAReasonAndResumesIt() throws Exception {
        User owner = user();
        User officer = user("COMPLIANCE");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), GREY, "3000000000000000").get("id");
            Map<?, ?> held = until(id, owner, "KYT_REVIEW");
            String caseId = (String) held.get("kytCaseId");
            signIn(officer, true, null);
            page.click("#nav-compliance");
            String card = "article[data-id='" + caseId + "']";
            page.waitVisible(card, 10);
            page.waitText(card + " .history", "History", 10);
            String shown = page.text(card);
            assertTrue(shown.contains(GREY) && shown.contains("Outbound") && shown.contains("KYT_REVIEW"), shown);
            page.shot("compliance-case");
            scan("compliance case");
            page.click(card + " button.approve");
            page.waitText(card + " .row-status", "Give the reason", 5);
            page.fill(card + " input.comment", "Known counterparty; grey-list entry is outdated (ticket C-2291)");
            page.click(card + " button.approve");
            try {
                page.waitText(card, "Resume the transfer", 20);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nlast audit events: " + lastAudit(), e);
            }
            page.shot("compliance-allowed");
            page.click(card + " button.primary");
            page.waitText("#status", "Transfer resumed", 20);
            assertEquals("SIGN_PENDING", until(id, owner, "SIGN_PENDING").get("status"), "resumed past screening");
        }
        assertAccessible();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aPolicyProposedByOneAdminAppliesWhenASecondAdminApprovesIt() throws Exception {
        User admin1 = user("ADMIN");
        User admin2 = user("ADMIN");
        signIn(admin1, true, null);
        page.click("#nav-policies");
        page.waitVisible("#rule-form", 10);
        page.select("#rule-type", "TX_LIMIT");
        page.select("#rule-scope", "GLOBAL");
        page.fill("#rule-asset", "ETH");
        page.fill("#rule-limit", "two and a half");
        page.click("#rule-propose");
        page.waitText("#rule-error", "an amount of ETH", 5);
        page.shot("policy-limit-error");
        page.fill("#rule-limit", "2.5");
        page.click("#rule-propose");
        page.waitText("#status", "proposed", 20);
        page.shot("policy-proposed");
        scan("policies");
        assertEquals(0, limits("2500000000000000000"), "nothing applies before the second ADMIN");
        page.click("#nav-changes");
        page.waitText("#changes", "You proposed this change", 10);
        page.shot("changes-own-proposal");
        scan("four-eyes changes");

        signIn(admin2, true, null);
        page.click("#nav-changes");
        page.waitText("#changes", "TX_LIMIT", 10);
        page.fill("#changes input.comment", "Limit agreed in the risk committee of 4 Dec");
        page.click("#changes button.approve");
        page.waitText("#status", "approved and applied", 20);
        page.shot("changes-approved");
        assertEquals(1, limits("2500000000000000000"), "applied once the second ADMIN approved");
        assertAccessible();
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aViewerSeesNoActionAndTheApiRefusesItAnyway() {
        User viewer = user("VIEWER");
        signIn(viewer, true, null);
        page.waitVisible("#queue-title", 10);
        assertEquals(List.of("Approvals", "Overview", "Wallets"), List.of(page.text("#nav a:nth-child(1)"),
                page.text("#nav a:nth-child(2)"), page.text("#nav a:nth-child(3)")),
                "a viewer's console: the queue, the overview and the wallets to look at");
        assertEquals(3, page.count("#nav a"));
        assertEquals(0, page.count("button.approve"));
        page.click("#nav-overview");
        page.waitText("#tile-approvals", "wait for approval", 10);
        page.waitText("#states", "FINALIZED", 10);
        page.shot("viewer-overview");
        scan("overview");
        assertAccessible();
        String refused = PageDriver.string(page.eval("import('/admin/api.js').then(m => m.withStepUp('POST', "
                + "'/v1/policies', { type: 'ADDRESS_DENYLIST', scope: 'GLOBAL', address: '0x' + '11'.repeat(20) }))"
                + ".then(() => 'accepted', e => e.status + ' ' + e.message)"));
        assertTrue(refused.startsWith("403 ") && refused.contains("ADMIN"), refused);
    }

    private int limits(String limit) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from policies where type = 'TX_LIMIT' and limit_amount = ?::numeric and enabled")) {
            ps.setString(1, limit);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void anAdminInvitesStaffAndDisablesAUserAtOnce() throws Exception {
        User admin = user("ADMIN");
        User customer = user();
        assertEquals(customer.name(), send(io.micronaut.http.HttpRequest.GET("/v1/auth/me"), customer).get("username"));
        signIn(admin, true, null);
        page.click("#nav-staff");
        page.waitVisible("#invite-form", 10);
        String name = "officer-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        page.fill("#invite-username", name);
        page.click("#invite-VIEWER");
        page.click("#invite-COMPLIANCE");
        page.click("#invite-send");
        page.waitVisible("#invite-code", 20);
        String code = page.text("#invite-code").strip();
        page.shot("staff-invited");
        scan("staff");
        http.toBlocking().exchange(io.micronaut.http.HttpRequest.POST("/v1/auth/invitations/accept", Map.of(
                "username", name, "code", code, "password", ApiUsers.PASSWORD)), Map.class);

        page.fill("#user-search", name);
        page.press("#user-search", "Enter");
        page.waitText("tr[data-user='" + name + "']", "Active", 10);
        assertTrue(page.text("tr[data-user='" + name + "']").contains("COMPLIANCE"));

        page.fill("#user-search", customer.name());
        page.press("#user-search", "Enter");
        String row = "tr[data-user='" + customer.name() + "']";
        page.waitText(row, "Active", 10);
        page.click(row + " button.reject");
        page.waitText(row, "Disabled", 20);
        page.shot("staff-disabled");
        assertEquals(401, status(io.micronaut.http.HttpRequest.GET("/v1/auth/me"), customer), "at once");
        assertAccessible();
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void aRowEditedInPostgresShowsAsBrokenInTheAuditPage() throws Exception {
        User officer = user("COMPLIANCE");
        signIn(officer, true, null);
        page.click("#nav-audit");
        page.waitVisible("#events tr", 10);
        page.click("#verify");
        page.waitVisible("#chain-ok", 20);
        page.viewportShot("audit-intact");
        scan("audit");
        // filtered by type
        page.fill("#audit-type", "TX_STATUS_CHANGED");
        page.press("#audit-type", "Enter");
        page.waitText("#events tr:first-child", "TX_STATUS_CHANGED", 10);
        assertEquals(0, eventRowsNot("r.textContent.includes('TX_STATUS_CHANGED')"), "only that type is listed");
        // by actor: the officer's own sign-in and passkey registration
        page.fill("#audit-type", "");
        page.fill("#audit-actor", "user:" + officer.name());
        page.press("#audit-actor", "Enter");
        page.waitText("#events tr:first-child", "user:" + officer.name(), 10);
        assertEquals(0, eventRowsNot("r.children[2].textContent === 'user:" + officer.name() + "'"),
                "only that actor's events are listed");
        // by time: nothing of this bank happened before 2026; an empty range is said next to the filters
        page.fill("#audit-since", "2026-06-01T00:00");
        page.fill("#audit-until", "2026-01-01T00:00");
        page.press("#audit-actor", "Enter");
        page.waitText("#audit-error", "Until must be later than From", 5);
        page.fill("#audit-since", "2025-01-01T00:00");
        page.press("#audit-actor", "Enter");
        page.waitText("#events", "No event matches", 10);
        page.fill("#audit-since", "");
        page.fill("#audit-until", "");
        page.fill("#audit-actor", "");
        // a transfer's package as a timeline, downloaded as JSON
        String txId;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id from tx_requests where status = 'FINALIZED' order by created_at limit 1");
             java.sql.ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "the approvals test finalized a transfer");
            txId = rs.getString(1);
        }
        page.fill("#package-id", txId);
        page.press("#package-id", "Enter");
        page.waitText("#package-verdict", "intact", 10);
        assertTrue(page.text("#package-timeline").contains("TX_FINALIZED"), page.text("#package-timeline"));
        page.viewportShot("audit-package");
        Path json = Path.of("target/screenshots/admin/audit-package.json").toAbsolutePath();
        page.download("#package-download", json);
        String downloaded = java.nio.file.Files.readString(json);
        assertTrue(downloaded.contains("\"txRequestId\" : \"" + txId + "\"") || downloaded.contains(
                "\"txRequestId\": \"" + txId + "\""), downloaded.substring(0, Math.min(200, downloaded.length())));
        assertTrue(downloaded.contains("packageHash") && downloaded.contains("TX_FINALIZED"));
        long seq;
        String original;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select seq, payload from audit_event where type = 'TX_STATUS_CHANGED' order by seq limit 1");
             java.sql.ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            seq = rs.getLong(1);
            original = rs.getString(2);
        }
        try {
            setPayload(seq, original.replace("\"reason\"", "\"reason \""));
            page.click("#verify");
            page.waitText("#chain-broken", "Broken at sequence " + seq, 20);
            page.viewportShot("audit-broken");
        } finally {
            setPayload(seq, original);
        }
        page.click("#verify");
        page.waitVisible("#chain-ok", 20);
        assertAccessible();
    }

    /** The last audit events (type, actor, reason), to tell where a flow stopped. */
    private List<String> lastAudit() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select type, actor, payload::jsonb ->> 'reason' from audit_event order by seq desc limit 12");
             java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return out;
    }

    /** An edit behind the bank's back: the append-only trigger is lifted for this one statement. */
    private void setPayload(long seq, String payload) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement st = c.createStatement(); PreparedStatement ps = c.prepareStatement(
                    "update audit_event set payload = ? where seq = ?")) {
                st.execute("alter table audit_event disable trigger user");
                ps.setString(1, payload);
                ps.setLong(2, seq);
                assertEquals(1, ps.executeUpdate());
                st.execute("alter table audit_event enable trigger user");
            }
            c.commit();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void aCustomerIsToldTheConsoleIsForStaff() {
        User customer = user();
        freshPage();
        page.fill("#username", customer.name());
        page.fill("#password", ApiUsers.PASSWORD);
        page.click("#sign-in");
        page.waitText("#sign-in-form", "for the bank's staff", 15);
    }

    @Test
    @org.junit.jupiter.api.Order(8)
    void anAdminFindsAWalletSeesItsKeyAndBalanceAndProposesAnApprover() throws Exception {
        User owner = user();
        User signatory = user("SIGNATORY");
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            // a deposit of 1 ETH, seen by the chain listener (stepped here)
            listener.runOnce(); // the listener's cursor exists before the deposit
            String depositTx = (String) rpcResult("eth_sendTransaction", List.of(Map.of("from",
                    org.mpcwallet.crypto.testing.AnvilProcess.DEV_ADDRESS, "to", w.address(), "value",
                    "0xde0b6b3a7640000")));
            // anvil answers with the hash and mines a moment later: the listener looks once the block is there
            for (int i = 0; i < 200 && rpcResult("eth_getTransactionReceipt", List.of(depositTx)) == null; i++) {
                Thread.sleep(50);
            }
            for (int i = 0; i < 50 && deposits(w.walletId()) == 0; i++) {
                listener.runOnce();
                Thread.sleep(100);
            }
            assertEquals(1, deposits(w.walletId()), "the listener saw the deposit");
            signIn(admin, true, null);
            page.click("#nav-wallets");
            page.fill("#wallet-search", owner.name());
            page.press("#wallet-search", "Enter");
            String row = "#wallets tr[data-id='" + w.walletId() + "']";
            page.waitVisible(row, 10);
            page.click(row + " button");
            page.waitText("#wallet-key", "Key active", 15);
            assertTrue(page.text("#wallet-address").equalsIgnoreCase(w.address()), page.text("#wallet-address"));
            page.waitText("#wallet-balances", "11 ETH", 15);
            page.waitText("#wallet-deposits", "1 ETH from 0xf39fd6", 5);
            page.fill("#approver-name", signatory.name());
            page.click("#approver-grant");
            page.waitText("#roles-status", "Proposed", 20);
            page.shot("wallet-detail");
            scan("wallet detail");
            // the allowlist-only switch is a policy change: proposed, it waits for a second ADMIN
            page.waitText("#wallet-allowlist-only", "Allowlist-only: off", 5);
            page.click("#allowlist-only-toggle");
            page.waitText("#settings-status", "Proposed", 20);
            assertEquals(1, pendingChanges("WALLET_SETTINGS", w.walletId()));
            assertEquals(1, pendingChanges("WALLET_ROLE_GRANT", signatory.id()), "the grant waits for a second ADMIN");
        }
        // the bank's own systems: an API client registered with the public key its operators give
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = pem(pair);
        page.click("#nav-integration");
        page.waitVisible("#client-form", 10);
        page.fill("#client-name", "core-banking");
        page.fill("#client-key", pem);
        page.fill("#client-roles", "OPERATOR");
        page.click("#client-register");
        page.waitText("#clients", "core-banking", 20);
        String clientId = apiFromPage("get('/v1/api-clients?limit=200').then(p => p.items.find(x => x.name === "
                + "'core-banking').id)");
        // a key rotation: the new public key from the client's operators; the old key works on for the overlap
        String clientRow = "#clients tr[data-id='" + clientId + "']";
        page.click(clientRow + " details.rotate summary");
        page.click(clientRow + " details.rotate button");
        page.waitText(clientRow + " .row-status", "Paste the new public key", 5); // said next to the field
        page.fill("#rotate-key-" + clientId, pem(java.security.KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair()));
        page.fill("#rotate-overlap-" + clientId, "2");
        page.click(clientRow + " details.rotate button");
        page.waitText("#status", "New key for core-banking: done", 20);
        page.waitText(clientRow, "works until", 10); // the old key, until the overlap ends
        assertEquals(2, page.count(clientRow + " td:nth-child(3) code"), "two keys during the overlap");
        // a webhook subscription of the client; everything since a time is sent again from the page
        String hookId = apiFromPage("post('/v1/webhooks', { clientId: '" + clientId + "', url: "
                + "'http://127.0.0.1:9/hooks', eventTypes: ['wallet.created', 'wallet.active'] }).then(r => r.id)");
        page.click("#nav-overview");
        page.click("#nav-integration");
        String card = "#webhooks article[data-id='" + hookId + "']";
        page.waitVisible(card, 10);
        page.click(card + " .toolbar button");
        page.waitText(card + " .toolbar .row-status", "Choose a time in the past", 5);
        page.fill("#redeliver-since-" + hookId, "2026-01-01T00:00");
        page.click(card + " .toolbar button");
        page.waitText(card + " .toolbar .row-status", "queued to be sent again", 20);
        assertEquals(1, count("select count(*) from audit_event where type = 'WEBHOOK_REDELIVERY_REQUESTED' and "
                + "payload like ?", "%" + hookId + "%"), "the redelivery is audited");
        page.shot("integration");
        scan("integration");
        assertAccessible();
    }

    @Test
    @org.junit.jupiter.api.Order(9)
    void anAdminRotatesALockedKeyFromTheIncidentsPage() throws Exception {
        User owner = user();
        User admin = user("ADMIN");
        Funded w;
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            w = wallet(owner, "RETAIL", device);
            Map<String, Object> refused = lockByInterruptedDecryption(owner, w, device).getValue();
            assertEquals("KEY_LOCKED", refused.get("code"), () -> "got " + refused);
        }
        signIn(admin, true, null);
        page.click("#nav-incidents");
        String card = "#incidents article[data-wallet='" + w.walletId() + "']";
        page.waitVisible(card, 15);
        String shown = page.text(card);
        assertTrue(shown.contains("Key locked") && shown.contains("RETAIL") && shown.contains("Open"), shown);
        page.shot("incidents");
        scan("incidents");
        // the runbook: a reason, said next to the field when missing; then the rotation, confirmed with the passkey
        page.click(card + " .runbook button");
        page.waitText(card + " .row-status", "Give the reason", 5);
        page.fill(card + " .runbook input", "key locked after an interrupted decryption");
        page.click(card + " .runbook button");
        page.waitText(card + " .rotation", "waiting for the owner's keygen of the successor", 20);
        page.waitText("#status", "Rotation started", 5);
        // the sweep waits for the successor's key: the bank's refusal is said under the incident
        page.click(card + " .runbook button");
        page.waitText(card + " .row-status.error", "successor", 20);
        page.shot("incidents-rotated");
        assertAccessible();
    }

    /**
     * Speed (issue 15): the approvals queue with 500 waiting transfers, measured in the page from opening the page
     * until the 500th row is in the table (three API pages of 200 and the rendering); then a poll that finds nothing
     * changed (304 for each page). Printed, not asserted (docs/benchmarks.md). Last: the 500 stay pending.
     */
    @Test
    @org.junit.jupiter.api.Order(99)
    void fiveHundredWaitingTransfersAreListedAtOnce() throws Exception {
        User owner = user();
        User approver = user("OPERATOR"); // staff: sees the overview too, the page left before measuring
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "TREASURY", device);
            grantApprover(w.walletId(), approver, owner);
            for (int i = 0; i < 500; i++) {
                // 0.001, 0.00101, 0.00102, ... ETH
                txRequest(owner, w.walletId(), TO, String.valueOf(
                        1_000_000_000_000_000L + i * 10_000_000_000_000L));
            }
            for (int round = 0; pending(w.walletId()) < 500; round++) {
                assertTrue(round < 400, "500 transfers should reach APPROVAL_PENDING");
                worker.runOnce();
            }
        }
        signIn(approver, true, null);
        page.waitText("#queue-count", "500 waiting", 30);
        page.click("#nav-overview");
        page.reload(); // a fresh page: nothing of the queue is known yet
        page.waitText("#me", approver.name(), 15);
        String cold = PageDriver.string(page.eval("new Promise(done => { const t0 = performance.now(); "
                + "location.hash = '#/approvals'; const t = setInterval(() => { if (document.querySelectorAll("
                + "'#queue-rows tr').length >= 500) { clearInterval(t); done(String(Math.round(performance.now() - t0)));"
                + " } }, 5); })"));
        // a poll while nothing changed: the three pages answer 304 and the rows stay
        String idle = PageDriver.string(page.eval("(async () => { const m = await import('/admin/api.js'); "
                + "const t0 = performance.now(); let c = null; let all304 = true; do { const p = await m.poll("
                + "'/v1/approvals?limit=200' + (c ? '&cursor=' + encodeURIComponent(c) : '')); all304 = all304 && "
                + "!p.changed; c = p.answer.has_more ? p.answer.next_cursor : null; } while (c); "
                + "return Math.round(performance.now() - t0) + (all304 ? '' : ' (changed)'); })()"));
        System.out.printf("BENCH console: approvals queue, 500 waiting: page opened to 500 rows %s ms; an idle poll "
                + "(3 pages, 304) %s ms%n", cold, idle);
        assertEquals(500, page.count("#queue-rows tr"));
        assertFalse(idle.contains("changed"), "an unchanged queue answers 304: " + idle);
        page.viewportShot("approver-500-waiting");
        scan("approvals queue, 500 waiting");
        assertAccessible();
    }

    private static String pem(java.security.KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----";
    }

    /** How many rows of the audit page's events table fail {@code test} (a JavaScript condition on row {@code r}). */
    private int eventRowsNot(String test) {
        return Integer.parseInt(PageDriver.string(page.eval("String([...document.querySelectorAll('#events tr')]"
                + ".filter(r => !(" + test + ")).length)")));
    }

    /** {@code select count(*) ...} with its parameters, bound as strings. */
    private int count(String sql, String... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.length; k++) {
                ps.setString(k + 1, params[k]);
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int pendingChanges(String kind, String mention) throws Exception {
        return count("select count(*) from pending_changes where kind = ? and status = 'PENDING' and payload like ?",
                kind, "%" + mention + "%");
    }

    private int deposits(String walletId) throws Exception {
        return count("select count(*) from deposits where wallet_id = ?::uuid", walletId);
    }

    private int pending(String walletId) throws Exception {
        return count("select count(*) from tx_requests where wallet_id = ?::uuid and status = 'APPROVAL_PENDING'",
                walletId);
    }
}
