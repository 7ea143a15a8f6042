package org.mpcwallet.bank.web.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
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
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.web.BrowserHarness;
import org.mpcwallet.web.PageDriver;

/**
 * The browser's presignature pool (docs/presign-online.md "Stage 3", docs/vault-format.md section 13) against this
 * bank (in-process, embedded PostgreSQL, the real signer) on a real anvil, in headless Debian Chromium: a keygen
 * leaves 4 sealed presignatures in IndexedDB (and 4 at the bank); the JVM opens the browser's records with the pool
 * key it derives itself from the backup file (the browser's WebCrypto HKDF against shared-crypto's); the next
 * co-signing is ONLINE at the bank, its record is gone from IndexedDB when O1 leaves the worker (a read queued at that
 * instant), the transfer is final on chain and the pool is topped up again; a tampered record is dropped and the next
 * one used; while another tab holds the wallet's pool lock a co-signing goes with SIGN and takes no record (two tabs
 * never share a presignature); with the bank's presignatures deleted the co-signing falls back to SIGN for the same request
 * (PRESIGNATURE_UNAVAILABLE; the browser's pool discarded and refilled); cancel stops the top-up; a refresh discards
 * the pool (refilled for the new key); no secret in the worker's messages, the console or errors. Prints the browser co-signing's time, SIGN
 * against online (the device's part and confirm to signature); timings are not asserted.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserPresignPoolTest implements TestPropertyProvider {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String SECRET = "pool wallet secret 1";

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
    private PageDriver page;
    private Path shots;
    private User customer;
    private User admin;
    private String walletId;
    private String keysetId;
    private P2KeyShare share;
    private byte[] poolKey;
    private final List<String> seenRecords = new ArrayList<>();
    private final List<String> plaintexts = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        anvil = AnvilProcess.start("--block-time", "1");
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("browser-pool-");
        p.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
        p.put("bank.pipeline.worker-interval-millis", "200");
        p.put("bank.pipeline.confirmation-blocks", "2");
        p.put("bank.auth.access-token-seconds", "900");
        return p;
    }

    @BeforeAll
    void startBrowser() throws Exception {
        BrowserHarness h = BrowserHarness.require("the browser's presignature pool test", List.of());
        shots = Path.of("target/screenshots/browser-pool").toAbsolutePath();
        page = PageDriver.start(h, shots);
        admin = new ApiUsers(http, dataSource).register("ADMIN");
        customer = new ApiUsers(http, dataSource).register();
    }

    @AfterAll
    void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (poolKey != null) {
            java.util.Arrays.fill(poolKey, (byte) 0);
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Test
    @Order(0)
    void theDatabaseOfAnEarlierVersionIsUpgradedKeepingItsStores() throws Exception {
        // a version 1 database as the worker before the pool left it, made on this origin before the wallet loads
        page.go(base() + "/wallet/wallet.css");
        assertEquals("ok", PageDriver.string(page.eval("new Promise((res, rej) => {"
                + " const q = indexedDB.open('mpc-wallet', 1);"
                + " q.onupgradeneeded = () => { q.result.createObjectStore('vaults', {keyPath: 'walletId'});"
                + "   q.result.createObjectStore('meta'); };"
                + " q.onsuccess = () => { const d = q.result; const t = d.transaction(['vaults', 'meta'], 'readwrite');"
                + "   t.objectStore('vaults').put({walletId: 'earlier', envelope: '00', epoch: 0});"
                + "   t.objectStore('meta').put('kept', 'marker');"
                + "   t.oncomplete = () => { d.close(); res('ok'); }; };"
                + " q.onerror = () => rej(q.error); })")));
        page.go(base() + "/wallet/");
        page.waitVisible("#sign-in", 60); // the worker opened (and upgraded) the database before this shows
        assertEquals("2 meta,pool,vaults earlier kept", PageDriver.string(page.eval(idb("(d) => new Promise((res) => {"
                + " const t = d.transaction(['vaults', 'meta'], 'readwrite'); let v, m;"
                + " t.objectStore('vaults').get('earlier').onsuccess = (e) => { v = e.target.result; };"
                + " t.objectStore('meta').get('marker').onsuccess = (e) => { m = e.target.result; };"
                + " t.objectStore('vaults').delete('earlier'); t.objectStore('meta').delete('marker');"
                + " t.oncomplete = () => res(d.version + ' ' + Array.from(d.objectStoreNames).sort().join(',') + ' '"
                + "   + (v && v.walletId) + ' ' + m); })"))));
    }

    @Test
    @Order(1)
    void aKeygenLeavesFourSealedPresignaturesThatTheJvmOpensWithItsOwnPoolKey() throws Exception {
        page.go(base() + "/wallet/");
        page.waitVisible("#sign-in", 60);
        page.fill("#username", customer.name());
        page.fill("#password", ApiUsers.PASSWORD);
        page.click("#sign-in");
        page.waitText("#screen-title", "My wallets", 30);
        // everything the worker tells the page, and the pool's events, from now on
        page.eval("(function () { const el = document.querySelector('mpc-wallet'); window.__msgs = [];"
                + " window.__pool = []; el.link.worker.addEventListener('message', (e) => "
                + "window.__msgs.push(JSON.stringify(e.data)));"
                + " el.addEventListener('mpc-wallet:presignatures', (e) => window.__pool.push(e.detail)); return true; })()");
        page.click("#create-wallet");
        page.fill("#wallet-name", "Pooled");
        page.fill("#wallet-secret", SECRET);
        page.fill("#wallet-secret-repeat", SECRET);
        page.click("#create");
        page.waitText("#screen-title", "Pooled", 300);
        List<Map> wallets = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets")
                .header("Authorization", customer.bearer()), Map.class));
        walletId = (String) wallets.get(wallets.size() - 1).get("id");
        Map<?, ?> w = http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets/" + walletId)
                .header("Authorization", customer.bearer()), Map.class);
        keysetId = (String) w.get("keysetId");
        assertNotNull(keysetId, () -> "the wallet names its keyset: " + w);

        List<Map> pool = awaitPool(p -> p.size() == 4, "4 presignatures after the keygen");
        assertEquals(4, bankPresignatures(), "the bank holds the other halves");
        assertEquals(4, sessions("PRESIGN", "COMPLETED"), "four presign sessions completed at the bank");
        installWorkerHooks();

        // the backup file lets the JVM open the share and derive the pool key itself (pure-Java HKDF)
        page.click("#backup");
        page.fill("#backup-secret", SECRET);
        Path backup = shots.resolve("backup.json");
        page.download("#download-backup", backup);
        page.waitText("#wallet-notice", "Backup saved", 30);
        Map<?, ?> entry = (Map<?, ?>) ((List<?>) json.readValue(Files.readString(backup), Map.class)
                .get("wallets")).get(0);
        Result<PresignatureRecords.OpenedVault, VaultFailure> opened = PresignatureRecords.openVault(
                SECRET.toCharArray(), Base64.getDecoder().decode((String) entry.get("vault")), walletId, Party.P2);
        assertTrue(opened.isOk(), () -> "the JVM opens the browser's vault: " + opened);
        share = P2KeyShare.decodeFromVault(opened.value().share());
        poolKey = opened.value().poolKey();
        for (Map r : pool) {
            P2Presignature p = open(r);
            plaintexts.add(HexFormat.of().formatHex(p.encode()));
            assertEquals(r.get("presignatureId"), p.idHex());
            assertEquals(HexFormat.of().formatHex(share.fingerprint()), r.get("fingerprint"));
        }
        assertEquals(4, pool.stream().map(r -> r.get("presignatureId")).distinct().count());
    }

    @Test
    @Order(2)
    void theNextCoSigningIsOnlineItsRecordIsGoneBeforeO1AndThePoolIsToppedUp() throws Exception {
        rpc("anvil_setBalance", List.of(address(), "0xde0b6b3a7640000")); // 1 ETH
        Set<String> before = ids(poolRecords());
        CoSigning c = sendAndCoSign("0.01", "online");
        assertEquals(List.of("ONLINE:COMPLETED:null"), c.sessions, "one online co-signing at the bank");
        List<Map> checks = c.o1Checks;
        assertEquals(1, checks.size(), () -> "one O1 sent: " + checks);
        String used = (String) checks.get(0).get("id");
        assertTrue(before.contains(used), "the presignature used is one of the pool's");
        assertEquals(Boolean.FALSE, checks.get(0).get("present"), "its record was deleted before O1 left");
        List<Map> after = awaitPool(p -> p.size() == 4 && !ids(p).contains(used), "the pool topped up to 4");
        assertEquals(3, intersection(before, ids(after)), "three old records and one new");
        assertEquals(4, bankPresignatures());
        assertReceipt(c.txId);
        c.print();
    }

    @Test
    @Order(3)
    void aTamperedRecordIsDroppedAndTheNextOneUsed() throws Exception {
        List<Map> pool = poolRecords();
        Map oldest = pool.stream().min((a, b) -> Double.compare(((Number) a.get("storedAt")).doubleValue(),
                ((Number) b.get("storedAt")).doubleValue())).orElseThrow();
        String tampered = (String) oldest.get("presignatureId");
        String record = (String) oldest.get("record");
        String flipped = record.substring(0, record.length() - 2)
                + String.format("%02x", Integer.parseInt(record.substring(record.length() - 2), 16) ^ 1);
        poolUpdate(tampered, flipped);
        CoSigning c = sendAndCoSign("0.01", "online-after-tampered");
        assertEquals(List.of("ONLINE:COMPLETED:null"), c.sessions);
        String used = (String) c.o1Checks.get(0).get("id");
        assertNotEquals(tampered, used, "the tampered record was not used");
        assertTrue(c.frames.contains("online:" + used) && !c.frames.contains("online:" + tampered), c.frames::toString);
        awaitPool(p -> p.size() == 4 && !ids(p).contains(tampered) && !ids(p).contains(used),
                "the tampered and the used record gone, the pool at 4 again");
        assertReceipt(c.txId);
    }

    @Test
    @Order(4)
    void whileAnotherTabHoldsThePoolTheCoSigningGoesWithSignAndTakesNothing() throws Exception {
        // another tab of this origin in the middle of taking a presignature of this wallet: it holds the wallet's
        // pool lock (a Web Lock, shared by every page and worker of the origin); here the page itself holds it
        awaitPoolQuiet();
        Set<String> before = ids(poolRecords());
        String lock = "mpc-wallet presignatures " + walletId;
        page.eval("(navigator.locks.request('" + lock + "', () => new Promise((r) => { window.__releasePool = r; })),"
                + " true)");
        assertEquals(lock, PageDriver.string(page.eval("navigator.locks.query().then((q) => q.held.map((l) => l.name)"
                + ".join(','))")));
        CoSigning c = sendAndCoSign("0.01", "sign-while-another-tab-takes-one", false);
        assertEquals(List.of("SIGN:COMPLETED:null"), c.sessions, "SIGN at once, without waiting for the other tab");
        assertTrue(c.o1Checks.isEmpty(), c.o1Checks::toString);
        assertEquals(before, ids(poolRecords()), "no presignature taken or discarded without the lock");
        assertReceipt(c.txId);

        page.eval("(window.__releasePool(), true)");
        CoSigning next = sendAndCoSign("0.01", "online-once-the-other-tab-is-done");
        assertEquals(List.of("ONLINE:COMPLETED:null"), next.sessions);
        assertTrue(before.contains((String) next.o1Checks.get(0).get("id")), "one of the same pool");
        assertReceipt(next.txId);
    }

    @Test
    @Order(5)
    void withTheBanksPresignaturesGoneTheCoSigningFallsBackToSign() throws Exception {
        Set<String> before = ids(poolRecords());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from presignature where keyset_id = ?")) {
            ps.setString(1, keysetId);
            // the tampered record's half stays at the bank (unused, within its bound of 32), so 4 or more
            assertTrue(ps.executeUpdate() >= 4);
        }
        CoSigning c = sendAndCoSign("0.01", "fallback-to-sign");
        assertEquals(List.of("ONLINE:FAILED:PRESIGNATURE_UNAVAILABLE", "SIGN:COMPLETED:null"), c.sessions,
                "one online attempt refused, then SIGN for the same request");
        assertEquals(1, c.o1Checks.size());
        assertTrue(c.frames.indexOf("sign") > c.frames.indexOf("online:" + c.o1Checks.get(0).get("id")),
                c.frames::toString);
        List<Map> after = awaitPool(p -> p.size() == 4, "the pool refilled after the fallback");
        assertEquals(0, intersection(before, ids(after)), "the whole pool was discarded");
        assertEquals(4, bankPresignatures());
        assertReceipt(c.txId);
    }

    @Test
    @Order(6)
    void theSameCoSigningWithSignOnlyForComparison() throws Exception {
        // this browser's pool emptied (the bank's stays): the co-signing is SIGN, as for a wallet's first
        awaitPoolQuiet();
        page.eval(idb("(d) => new Promise((res) => { const t = d.transaction('pool', 'readwrite');"
                + " t.objectStore('pool').clear(); t.oncomplete = () => res('ok'); })"));
        CoSigning c = sendAndCoSign("0.01", "sign-only", false);
        assertEquals(List.of("SIGN:COMPLETED:null"), c.sessions);
        assertTrue(c.o1Checks.isEmpty());
        awaitPool(p -> p.size() == 4, "the pool refilled after a SIGN co-signing");
        assertReceipt(c.txId);
        c.print();
    }

    @Test
    @Order(7)
    void cancelStopsTheTopUpAndTheNextCoSigningStillWorks() throws Exception {
        awaitPoolQuiet();
        page.eval(idb("(d) => new Promise((res) => { const t = d.transaction('pool', 'readwrite');"
                + " t.objectStore('pool').clear(); t.oncomplete = () => res('ok'); })"));
        // cancel the moment the outcome reaches the page: the top-up (4 presignatures) has only just begun
        page.eval("(document.querySelector('mpc-wallet').addEventListener('mpc-wallet:cosigned', () =>"
                + " document.querySelector('mpc-wallet').link.call('cancel'), {once: true}), true)");
        CoSigning c = sendAndCoSign("0.01", "sign-then-cancelled-top-up", false);
        assertEquals(List.of("SIGN:COMPLETED:null"), c.sessions);
        Thread.sleep(3000);
        int held = poolRecords().size();
        assertTrue(held < 4, "the top-up stopped at " + held);
        Thread.sleep(2000);
        assertEquals(held, poolRecords().size(), "nothing more is made after the cancel");
        assertReceipt(c.txId);
        // the next co-signing is not held up by the stopped top-up, and tops the pool up again
        CoSigning next = sendAndCoSign("0.01", held > 0 ? "online-after-cancel" : "sign-after-cancel", false);
        assertEquals(List.of((held > 0 ? "ONLINE" : "SIGN") + ":COMPLETED:null"), next.sessions);
        awaitPool(p -> p.size() == 4, "the pool topped up after the next co-signing");
        assertReceipt(next.txId);
    }

    @Test
    @Order(8)
    void aRefreshDiscardsThePoolAndRefillsItForTheNewKey() throws Exception {
        admin = fresh(admin);
        String oldFingerprint = HexFormat.of().formatHex(share.fingerprint());
        Set<String> before = ids(poolRecords());
        http.toBlocking().exchange(HttpRequest.POST("/v1/admin/wallets/" + walletId + "/refresh",
                Map.of("reason", "routine rotation")).header("Authorization", admin.bearer()), Map.class);
        openWallet();
        page.click("#refresh-key");
        page.fill("#refresh-secret", SECRET);
        page.click("#run-refresh");
        page.waitText("#wallet-notice", "is refreshed (epoch 1)", 120);
        List<Map> after = awaitPool(p -> p.size() == 4 && p.stream().noneMatch(r -> oldFingerprint.equals(
                r.get("fingerprint"))), "4 presignatures of the refreshed key");
        assertEquals(0, intersection(before, ids(after)), "none of the old key's presignatures is kept");
        assertEquals(4, bankPresignatures());

        // a restore of the wallet (here from a backup of the refreshed share) discards its pool as well
        openWallet();
        page.click("#backup");
        page.fill("#backup-secret", SECRET);
        Path backup = shots.resolve("backup-refreshed.json");
        page.download("#download-backup", backup);
        page.waitText("#wallet-notice", "Backup saved", 30);
        String restored = PageDriver.string(page.eval("document.querySelector('mpc-wallet').link.call('restore', {"
                + " bundle: " + json.writeValueAsString(Files.readString(backup)) + ","
                + " wallets: {'" + walletId + "': '" + address() + "'}, epochs: {'" + walletId + "': 1},"
                + " names: {}, secret: '" + SECRET + "'}).then((r) => r.restored.join(','))"));
        assertEquals(walletId, restored);
        assertEquals(0, poolRecords().size(), "a restored share comes with no presignatures");
    }

    @Test
    @Order(9)
    void noSecretInTheWorkersMessagesTheConsoleOrErrors() throws Exception {
        String messages = PageDriver.string(page.eval("JSON.stringify(window.__msgs)")).toLowerCase();
        String log = String.join("\n", page.log()).toLowerCase();
        List<String> secrets = new ArrayList<>(shareForms());
        secrets.add(SECRET.toLowerCase());
        for (String r : seenRecords) {
            secrets.add(r.toLowerCase());
        }
        secrets.addAll(plaintexts);
        for (String s : secrets) {
            assertFalse(messages.contains(s), "a secret (" + s.length() + " chars) in the worker's messages");
            assertFalse(log.contains(s), "a secret (" + s.length() + " chars) in the console or errors");
        }
        String events = PageDriver.string(page.eval("JSON.stringify(window.__pool)"));
        // (the messages are JSON strings inside a JSON array: their quotes are escaped)
        assertTrue(messages.contains("\\\"type\\\":\\\"pool\\\"") && events.contains("\"held\":4"),
                () -> "the pool's notices were seen: " + messages.length() + " chars of messages, events " + events);
        assertFalse(events.contains("\"notice\":{"), () -> "no failure while presigning: " + events);
    }

    // ---- co-signing ---------------------------------------------------------------------------------------------

    /** What one co-signing left: the bank's sessions, the frames the worker sent, the O1 checks, the timings. */
    private record CoSigning(String txId, String label, List<String> sessions, List<String> frames, List<Map> o1Checks,
            double confirmToDoneMs, double deviceBeginMs, double deviceFramesMs) {
        void print() {
            System.out.printf("bench op=web_cosign_%s confirm_to_done_ms=%.1f device_ms=%.1f device_open_ms=%.1f "
                    + "device_protocol_ms=%.1f%n", label, confirmToDoneMs, deviceBeginMs + deviceFramesMs,
                    deviceBeginMs, deviceFramesMs);
        }
    }

    private CoSigning sendAndCoSign(String amount, String label) throws Exception {
        return sendAndCoSign(amount, label, true);
    }

    private CoSigning sendAndCoSign(String amount, String label, boolean fullPool) throws Exception {
        customer = fresh(customer);
        if (fullPool) {
            awaitPoolQuiet();
        }
        page.workerEval("(self.__frames = [], self.__o1 = [], self.__device = {begin: 0, frames: 0, phase: null}, true)");
        page.eval("(function () { const el = document.querySelector('mpc-wallet'); window.__marks = {};"
                + " el.addEventListener('mpc-wallet:cosign-confirmed', (e) => { window.__marks.confirmed = e.detail.at; },"
                + " {once: true}); el.addEventListener('mpc-wallet:cosigned', (e) => { window.__marks.done = e.detail.at; },"
                + " {once: true}); return true; })()");
        openWallet();
        page.click("#send");
        page.fill("#recipient", TO);
        page.fill("#amount", amount);
        page.click("#submit-transfer");
        page.waitVisible("#cosign-dialog", 60);
        page.fill("#cosign-secret", SECRET);
        page.click("#cosign");
        page.waitHidden("#cosign-dialog", 60);
        page.waitText("#transfer-headline", "Done: the transfer is final", 120);
        page.shot(label);
        String txId = latestTransfer();
        Map<?, ?> marks = json.readValue(PageDriver.string(page.eval("JSON.stringify(window.__marks)")), Map.class);
        Map<?, ?> hooks = json.readValue(PageDriver.string(page.workerEval("JSON.stringify({frames: self.__frames,"
                + " o1: self.__o1, device: self.__device})")), Map.class);
        Map<?, ?> device = (Map<?, ?>) hooks.get("device");
        List<String> frames = new ArrayList<>();
        for (Object f : (List<?>) hooks.get("frames")) {
            frames.add((String) f);
        }
        return new CoSigning(txId, label, signSessions(txId), frames, (List<Map>) hooks.get("o1"),
                ((Number) marks.get("done")).doubleValue() - ((Number) marks.get("confirmed")).doubleValue(),
                ((Number) device.get("begin")).doubleValue(), ((Number) device.get("frames")).doubleValue());
    }

    /**
     * Hooks in the worker: every frame type it sends (and an online frame's presignature id), and at the instant an
     * O1 leaves (the first {@code msg} after an {@code online} frame) a read of the pool store queued on a connection
     * of its own: IndexedDB orders it after every write transaction created before it, so it finds the record iff the
     * worker had not deleted it (durably) before O1. And the time the co-signing spends in the device's module
     * (cosignBegin: the check, PBKDF2, the pool; sessionFrame: the protocol) until its outcome.
     */
    private void installWorkerHooks() {
        assertEquals("ok", PageDriver.string(page.workerEval("(async () => {"
                + " self.__db = await new Promise((res, rej) => { const q = indexedDB.open('mpc-wallet');"
                + "   q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });"
                + " self.__frames = []; self.__o1 = []; self.__device = {begin: 0, frames: 0, phase: null};"
                + " let online = null;"
                + " const send = WebSocket.prototype.send;"
                + " WebSocket.prototype.send = function (data) {"
                + "   let f = null; try { f = JSON.parse(data); } catch (e) { f = null; }"
                + "   if (f && f.type === 'online') { online = f.presignatureId; self.__frames.push('online:' + online); }"
                + "   else if (f && (f.type === 'sign' || f.type === 'presign')) { self.__frames.push(f.type); }"
                + "   if (f && f.type === 'msg' && f.seq === 1 && online !== null) {"
                + "     const check = {id: online, present: null}; online = null; self.__o1.push(check);"
                + "     const g = self.__db.transaction('pool').objectStore('pool').getAll();"
                + "     g.onsuccess = () => { check.present = g.result.some((r) => r.presignatureId === check.id); };"
                + "   }"
                + "   return send.call(this, data); };"
                + " const module = exports; const wrapped = {};"
                // the module's export object is read-only; the worker's binding of it is not
                + " exports = new Proxy(module, {get: (t, k) => wrapped[k] || (typeof t[k] === 'function'"
                + "   ? t[k].bind(t) : t[k])});"
                + " const timed = (name, key) => { const orig = module[name].bind(module);"
                + "   wrapped[name] = function (...a) {"
                + "   const d = self.__device; if (name === 'cosignBegin') { d.phase = 'cosign'; }"
                + "   if (name === 'presignBegin') { d.phase = null; }"
                + "   const counted = d.phase === 'cosign' && key !== null; const t0 = performance.now();"
                + "   const r = orig(...a);"
                + "   if (!counted) { return r; }"
                + "   return Promise.resolve(r).then((v) => { d[key] += performance.now() - t0;"
                + "     if (name === 'sessionFrame' && String(v).includes('\"done\"')) { d.phase = null; } return v; }); }; };"
                + " timed('cosignBegin', 'begin'); timed('sessionFrame', 'frames'); timed('presignBegin', null);"
                + " return 'ok'; })()")));
    }

    private void openWallet() {
        page.click("#nav-wallets");
        page.waitText("#screen-title", "My wallets", 20);
        page.click("[data-wallet='" + walletId + "']");
        page.waitText("#screen-title", "Pooled", 20);
    }

    /** The kinds, states and failure codes of the bank's sessions for transfer {@code txId}'s sign request. */
    private List<String> signSessions(String txId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select s.kind, s.status, s.failure_code from mpc_sessions s join tx_requests t "
                        + "on t.sign_request_id = s.request_id where t.id = ?::uuid order by s.created_at")) {
            ps.setString(1, txId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
                }
            }
        }
        return out;
    }

    private int sessions(String kind, String status) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from mpc_sessions where wallet_id = ?::uuid and kind = ? and status = ?")) {
            ps.setString(1, walletId);
            ps.setString(2, kind);
            ps.setString(3, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int bankPresignatures() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from presignature where keyset_id = ?")) {
            ps.setString(1, keysetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void assertReceipt(String txId) throws Exception {
        Map<?, ?> t = http.toBlocking().retrieve(HttpRequest.GET("/v1/tx-requests/" + txId)
                .header("Authorization", customer.bearer()), Map.class);
        assertEquals("FINALIZED", t.get("status"));
        Map<?, ?> receipt = (Map<?, ?>) rpc("eth_getTransactionReceipt", List.of(t.get("txHash")));
        assertEquals("0x1", receipt.get("status"));
        assertEquals(address().toLowerCase(), ((String) receipt.get("from")).toLowerCase(),
                "the chain recovered the wallet's address from the signature");
    }

    // ---- the browser's pool -------------------------------------------------------------------------------------

    /** {@code body(db)} (a function returning a promise) on a fresh connection to the wallet's database. */
    private static String idb(String body) {
        return "(async () => { const d = await new Promise((res, rej) => { const q = indexedDB.open('mpc-wallet');"
                + " q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });"
                + " try { return await (" + body + ")(d); } finally { d.close(); } })()";
    }

    private List<Map> poolRecords() throws Exception {
        String all = PageDriver.string(page.eval(idb("(d) => new Promise((res) => { const g = d.transaction('pool')"
                + ".objectStore('pool').getAll(); g.onsuccess = () => res(JSON.stringify(g.result)); })")));
        List<Map> records = json.readValue(all, Argument.listOf(Map.class));
        for (Map r : records) {
            assertEquals(walletId, r.get("walletId"));
            if (!seenRecords.contains((String) r.get("record"))) {
                seenRecords.add((String) r.get("record"));
            }
        }
        return records;
    }

    private void poolUpdate(String presignatureId, String recordHex) {
        assertEquals("ok", PageDriver.string(page.eval(idb("(d) => new Promise((res) => {"
                + " const s = d.transaction('pool', 'readwrite'); const st = s.objectStore('pool');"
                + " const g = st.get(['" + walletId + "', '" + presignatureId + "']);"
                + " g.onsuccess = () => { const r = g.result; r.record = '" + recordHex + "'; st.put(r); };"
                + " s.oncomplete = () => res('ok'); })"))));
    }

    private List<Map> awaitPool(Predicate<List<Map>> until, String what) throws Exception {
        long end = System.currentTimeMillis() + 90_000;
        List<Map> pool = poolRecords();
        while (!until.test(pool)) {
            assertTrue(System.currentTimeMillis() < end, () -> what + " within 90 s; the pool holds "
                    + ids(poolRecordsQuietly()));
            Thread.sleep(250);
            pool = poolRecords();
        }
        return pool;
    }

    /** Waits until the worker's top-up is over (4 held), so the co-signing measured does not share the CPU. */
    private void awaitPoolQuiet() throws Exception {
        awaitPool(p -> p.size() >= 4, "a full pool before the co-signing");
        Thread.sleep(300);
    }

    private List<Map> poolRecordsQuietly() {
        try {
            return poolRecords();
        } catch (Exception e) {
            return List.of();
        }
    }

    private P2Presignature open(Map r) {
        Result<P2Presignature, VaultFailure> opened = PresignatureRecords.open(poolKey,
                HexFormat.of().parseHex((String) r.get("record")), walletId, share.fingerprint());
        assertTrue(opened.isOk(), () -> "the JVM opens the browser's record: " + opened);
        return opened.value();
    }

    private static Set<String> ids(List<Map> pool) {
        Set<String> out = new HashSet<>();
        for (Map r : pool) {
            out.add((String) r.get("presignatureId"));
        }
        return out;
    }

    private static int intersection(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.retainAll(b);
        return s.size();
    }

    // ---- the bank and the chain ---------------------------------------------------------------------------------

    private String address() {
        return (String) http.toBlocking().retrieve(HttpRequest.GET("/v1/wallets/" + walletId)
                .header("Authorization", customer.bearer()), Map.class).get("address");
    }

    private String latestTransfer() {
        List<Map> list = items(http.toBlocking().retrieve(HttpRequest.GET("/v1/tx-requests?walletId=" + walletId)
                .header("Authorization", customer.bearer()), Map.class));
        return list.stream().filter(t -> "FINALIZED".equals(t.get("status")))
                .map(t -> (String) t.get("id")).filter(id -> !finalized.contains(id)).peek(finalized::add)
                .findFirst().orElseThrow();
    }

    private final Set<String> finalized = new HashSet<>();

    private User fresh(User u) {
        Map<?, ?> login = http.toBlocking().exchange(HttpRequest.POST("/v1/auth/login",
                Map.of("username", u.name(), "password", ApiUsers.PASSWORD)), Map.class).body();
        return new User(u.id(), u.name(), "Bearer " + login.get("access_token"));
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

    /** x2 as hex (padded and not), decimal and base64: the forms a leak would take. */
    private List<String> shareForms() {
        BigInteger x2 = share.x2();
        byte[] b = x2.toByteArray();
        byte[] fixed = new byte[32];
        System.arraycopy(b, Math.max(0, b.length - 32), fixed, Math.max(0, 32 - b.length), Math.min(32, b.length));
        return List.of(HexFormat.of().formatHex(fixed), x2.toString(16), x2.toString(),
                Base64.getEncoder().encodeToString(fixed).toLowerCase());
    }

    @SuppressWarnings("unchecked")
    private static List<Map> items(Map<?, ?> page) {
        return (List<Map>) page.get("items");
    }
}
