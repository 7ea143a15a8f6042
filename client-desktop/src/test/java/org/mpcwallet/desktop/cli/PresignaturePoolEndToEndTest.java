package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.CoSigning;
import org.mpcwallet.desktop.core.DeviceSecrets;
import org.mpcwallet.desktop.core.PresignaturePool;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.SessionStore;
import org.mpcwallet.desktop.core.ShareSelection;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.VaultSecrets;
import org.mpcwallet.desktop.testing.BankProcesses;
import org.mpcwallet.desktop.testing.TestAnvil;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;

/**
 * The device's presignature pool against the real bank (bank-server's jar on its embedded PostgreSQL, the signer
 * in-process) and a real anvil (docs/presign-online.md "Stage 3"): a keygen leaves 4 presignatures on disk and 4
 * halves at the signer; the next co-signing is an ONLINE session (the bank's session row says so) whose transaction
 * anvil mines from the wallet's address; the record is gone from disk before O1 leaves; the bank's
 * PRESIGNATURE_UNAVAILABLE discards the pool and the same request is co-signed with SIGN; tampered, foreign and
 * stale records are deleted, never used; a refresh discards the pool. No pool key, record or presignature appears in
 * anything printed or in the bank's logs.
 */
class PresignaturePoolEndToEndTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String ADMIN_PASSWORD = "presign e2e admin password 0123";

    @TempDir
    static Path work;
    private static BankProcesses bank;
    private static TestAnvil anvil;
    private static String adminToken;

    /** Every secret the tests saw (hex, lower case): pool keys, records, presignatures; none may be printed. */
    private static final Set<String> SECRETS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final List<String> PRINTED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        anvil = TestAnvil.start();
        bank = BankProcesses.start(work, false);
        String out = bank.createAdmin("root", ADMIN_PASSWORD);
        assertTrue(out.contains("created ADMIN root"), out);
        adminToken = Device.JSON.readTree(BankProcesses_send("POST", "/v1/auth/login", null,
                "{\"username\":\"root\",\"password\":\"" + ADMIN_PASSWORD + "\"}", 200)).get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        try {
            if (bank != null) {
                String logs = bank.logs();
                PRINTED.add(logs);
                assertNoSecretPrinted();
            }
        } finally {
            if (bank != null) {
                bank.close();
            }
            if (anvil != null) {
                anvil.close();
            }
        }
    }

    @Test
    void aKeygenFillsThePoolAndTheNextCoSigningGoesOnlineToTheChain() throws Exception {
        Device d = device("online");
        JsonNode created = json(d, "create", "spending");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        PresignaturePool pool = new PresignaturePool(d.home);
        assertEquals(PresignaturePool.TARGET, pool.count(walletId), "the keygen topped the pool up");
        assertEquals(PresignaturePool.TARGET, bankPresignatures(walletId), "the signer holds the other halves");
        Set<String> before = names(pool, walletId);
        remember(d, walletId);

        anvil.setBalance(address, new BigInteger("1000000000000000000"));
        String requestId = requestSign(d, walletId, 0);
        JsonNode signed = json(d, "sign", requestId, "--yes");
        assertEquals(List.of("ONLINE:COMPLETED"), sessions(requestId), "co-signed online, in one session");

        // the signature is the wallet's: web3j recovers the address, anvil mines it from there
        String raw = signed.get("rawTransaction").asText();
        SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(raw);
        assertEquals(address.toLowerCase(Locale.ROOT), tx.getFrom().toLowerCase(Locale.ROOT));
        String hash = anvil.rpc("eth_sendRawTransaction", raw).asText();
        assertEquals(signed.get("txHash").asText(), hash);
        JsonNode receipt = anvil.awaitReceipt(hash, java.time.Duration.ofSeconds(30));
        assertNotNull(receipt, "mined within 30 s");
        assertEquals("0x1", receipt.get("status").asText());
        assertEquals(address.toLowerCase(Locale.ROOT), receipt.get("from").asText().toLowerCase(Locale.ROOT));

        // one record was spent and the pool was topped up again after the result: 4 on disk, 4 at the signer
        Set<String> after = names(pool, walletId);
        assertEquals(PresignaturePool.TARGET, after.size());
        Set<String> kept = new HashSet<>(before);
        kept.retainAll(after);
        assertEquals(PresignaturePool.TARGET - 1, kept.size(), "exactly one presignature was used: " + before
                + " -> " + after);
        assertEquals(PresignaturePool.TARGET, bankPresignatures(walletId));
        remember(d, walletId);
        assertNoSecretPrinted();
    }

    @Test
    void thePresignatureFileIsGoneBeforeItsO1Leaves() throws Exception {
        Device d = device("order");
        String walletId = json(d, "create", "ordered").get("wallet").asText();
        remember(d, walletId);
        Core core = new Core(d);
        Set<String> before = names(core.vaults.pool(), walletId);
        assertEquals(PresignaturePool.TARGET, before.size());

        List<String> onlineFrames = new ArrayList<>();
        List<Set<String>> atOnline = new ArrayList<>();
        List<Set<String>> atO1 = new ArrayList<>();
        core.cosigning.onFrameSent(text -> {
            JsonNode f = parse(text);
            String type = f.get("type").asText();
            if ("online".equals(type)) {
                onlineFrames.add(f.get("presignatureId").asText());
                atOnline.add(names(core.vaults.pool(), walletId));
            } else if ("msg".equals(type) && f.get("seq").asLong() == 1) {
                atO1.add(names(core.vaults.pool(), walletId)); // the device's only seq-1 message is O1
            }
        });
        String requestId = requestSign(d, walletId, 0);
        CoSigning.Signed signed = core.sign(requestId, walletId);
        assertEquals(1, onlineFrames.size(), "one online session");
        assertEquals(1, atO1.size(), "one O1");
        String used = onlineFrames.get(0) + ".presig";
        assertTrue(before.contains(used), "the presignature came from the pool: " + used + " in " + before);
        assertFalse(atOnline.get(0).contains(used), "deleted before the session was even asked for");
        assertFalse(atO1.get(0).contains(used), "deleted before O1 left");
        assertEquals(PresignaturePool.TARGET - 1, atO1.get(0).size());
        assertEquals(List.of("ONLINE:COMPLETED"), sessions(requestId));
        assertNotNull(signed.result().rawTransaction());

        // the top-up runs when the caller says so (after the result is shown) and refills to the target
        assertEquals(PresignaturePool.TARGET - 1, core.vaults.pool().count(walletId));
        assertEquals(1, signed.topUp().run());
        assertEquals(PresignaturePool.TARGET, core.vaults.pool().count(walletId));
        assertEquals(0, signed.topUp().run(), "a top-up runs once");
        assertFalse(signed.toString().contains(Bytes.toHex(poolKey(d, walletId))));
        assertTrue(signed.topUp().toString().contains("redacted"));
        remember(d, walletId);
        assertNoSecretPrinted();
    }

    @Test
    void presignatureUnavailableDiscardsThePoolAndCoSignsTheSameRequestWithSign() throws Exception {
        Device d = device("unavailable");
        JsonNode created = json(d, "create", "restored-bank");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        PresignaturePool pool = new PresignaturePool(d.home);
        Set<String> before = names(pool, walletId);
        assertEquals(PresignaturePool.TARGET, before.size());
        remember(d, walletId);
        // the bank's pool is reset (as after restoring its database): its halves are gone
        try (Connection c = bank.db(); PreparedStatement st = c.prepareStatement(
                "delete from presignature where keyset_id = (select keyset_id from wallets where id = ?::uuid)")) {
            st.setString(1, walletId);
            assertEquals(PresignaturePool.TARGET, st.executeUpdate());
        }

        String requestId = requestSign(d, walletId, 0);
        CliRun human = CliRun.run(d.env(), "--server", bank.url(), "--data-dir", d.home.toString(), "sign",
                requestId, "--yes");
        PRINTED.add(human.all());
        assertEquals(0, human.code(), human::toString);
        assertTrue(human.err().contains("no longer holds this device's presignatures"), human.err());
        assertEquals(List.of("ONLINE:FAILED", "SIGN:COMPLETED"), sessions(requestId),
                "the online session failed at the signer, the same request was then co-signed with SIGN");
        String raw = human.out().lines().filter(l -> l.startsWith("raw transaction ")).findFirst().orElseThrow()
                .substring("raw transaction ".length());
        SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(raw);
        assertEquals(address.toLowerCase(Locale.ROOT), tx.getFrom().toLowerCase(Locale.ROOT));

        // the whole old pool is gone; the top-up made a new one the bank holds
        Set<String> after = names(pool, walletId);
        assertEquals(PresignaturePool.TARGET, after.size());
        after.retainAll(before);
        assertTrue(after.isEmpty(), "no old record kept: " + after);
        assertEquals(PresignaturePool.TARGET, bankPresignatures(walletId));
        remember(d, walletId);
        assertNoSecretPrinted();
    }

    @Test
    void tamperedForeignAndUnreadableRecordsAreDeletedNeverUsed() throws Exception {
        Device d = device("tampered");
        String walletId = json(d, "create", "first").get("wallet").asText();
        String otherId = json(d, "create", "second").get("wallet").asText();
        remember(d, walletId);
        remember(d, otherId);
        PresignaturePool pool = new PresignaturePool(d.home);
        List<Path> files = pool.files(walletId);
        assertEquals(PresignaturePool.TARGET, files.size());
        Path good = files.get(files.size() - 1); // taken last: the others are met first
        List<String> tamperedIds = new ArrayList<>();
        for (Path f : files.subList(0, files.size() - 1)) {
            byte[] b = Files.readAllBytes(f);
            b[b.length - 20] ^= 0x01; // in the ciphertext
            Files.write(f, b);
            tamperedIds.add(f.getFileName().toString().replace(".presig", ""));
        }
        // a record of the other wallet, copied in under a name that sorts first
        Path foreign = pool.directory(walletId).resolve("0".repeat(64) + ".presig");
        Files.copy(pool.files(otherId).get(0), foreign, StandardCopyOption.COPY_ATTRIBUTES);

        String requestId = requestSign(d, walletId, 0);
        CliRun human = CliRun.run(d.env(), "--server", bank.url(), "--data-dir", d.home.toString(), "sign",
                requestId, "--yes");
        PRINTED.add(human.all());
        assertEquals(0, human.code(), human::toString);
        assertEquals(List.of("ONLINE:COMPLETED"), sessions(requestId), "online with the one intact record");
        assertEquals(4, human.err().lines().filter(l -> l.startsWith("discarded presignature")).count(),
                human.err());
        assertTrue(human.err().contains("another wallet"), human.err());
        // the intact record was the one used at the signer; the tampered ones were never offered
        Set<String> atSigner = bankPresignatureIds(walletId);
        assertFalse(atSigner.contains(good.getFileName().toString().replace(".presig", "")));
        assertTrue(atSigner.containsAll(tamperedIds), atSigner + " should hold " + tamperedIds);
        assertFalse(Files.exists(foreign));
        for (String id : tamperedIds) {
            assertFalse(names(pool, walletId).contains(id + ".presig"), "deleted: " + id);
        }
        assertEquals(PresignaturePool.TARGET, pool.count(walletId), "topped up again");
        assertEquals(PresignaturePool.TARGET, pool.count(otherId), "the other wallet's pool is untouched");
        remember(d, walletId);
        assertNoSecretPrinted();
    }

    @Test
    void aRefreshDiscardsThePoolAndTheNextCoSigningStillGoesOnline() throws Exception {
        Device d = device("refresh");
        JsonNode created = json(d, "create", "rotated");
        String walletId = created.get("wallet").asText();
        String address = created.get("address").asText();
        PresignaturePool pool = new PresignaturePool(d.home);
        Set<String> before = names(pool, walletId);
        Path stale = work.resolve("stale-" + walletId + ".presig");
        Files.copy(pool.files(walletId).get(0), stale);
        Path oldBackup = work.resolve("backup-" + walletId + ".json");
        json(d, "backup", oldBackup.toString());
        remember(d, walletId);

        // a refresh the bank refuses (not authorized) changes nothing, the pool included
        assertEquals("NOT_AUTHORIZED", d.error("refresh", walletId).get("code").asText());
        assertEquals(before, names(pool, walletId));
        BankProcesses_send("POST", "/v1/admin/wallets/" + walletId + "/refresh", adminToken,
                "{\"reason\":\"presign e2e rotation\"}", 201);
        assertEquals(1, json(d, "refresh", walletId).get("epoch").asInt());
        Set<String> after = names(pool, walletId);
        assertEquals(PresignaturePool.TARGET, after.size(), "refilled with the new key");
        Set<String> overlap = new HashSet<>(after);
        overlap.retainAll(before);
        assertTrue(overlap.isEmpty(), "the old key's records are gone: " + overlap);
        assertEquals(PresignaturePool.TARGET, bankPresignatures(walletId), "the signer dropped the old epoch's");
        // a stale record of the old key put back by hand is deleted, not used
        Path back = pool.directory(walletId).resolve("0".repeat(64) + ".presig");
        Files.copy(stale, back);
        remember(d, walletId);

        String requestId = requestSign(d, walletId, 0);
        JsonNode signed = json(d, "sign", requestId, "--yes");
        assertEquals(List.of("ONLINE:COMPLETED"), sessions(requestId));
        assertFalse(Files.exists(back));
        SignedRawTransaction tx = (SignedRawTransaction) TransactionDecoder.decode(
                signed.get("rawTransaction").asText());
        assertEquals(address.toLowerCase(Locale.ROOT), tx.getFrom().toLowerCase(Locale.ROOT));
        remember(d, walletId);

        // restoring a backup: the same share leaves the pool alone; another one (the old epoch's) discards it
        Path current = work.resolve("backup-now-" + walletId + ".json");
        json(d, "backup", current.toString());
        json(d, "restore", current.toString());
        assertEquals(PresignaturePool.TARGET, pool.count(walletId));
        json(d, "restore", oldBackup.toString(), "--force");
        assertEquals(0, pool.count(walletId), "the restored share's wallet has no presignatures");
        assertFalse(Files.exists(pool.directory(walletId)));
        assertNoSecretPrinted();
    }

    @Test
    void aTopUpTheBankRefusesIsANoticeAndMakesNothing() throws Exception {
        Device owner = device("owner");
        String walletId = json(owner, "create", "not-yours").get("wallet").asText();
        remember(owner, walletId);
        Device other = device("other");
        Core core = new Core(other);
        // another user's device asks for presignatures of a wallet it does not own: the bank refuses the session
        List<String> notices = new ArrayList<>();
        P2KeyShare share = new ShareStore(owner.home).open(walletId, owner.walletSecret.toCharArray());
        PresignaturePool pool = new PresignaturePool(other.home);
        org.mpcwallet.desktop.core.PoolTopUp topUp = new org.mpcwallet.desktop.core.PoolTopUp(core.api, pool,
                walletId, share, poolKey(owner, walletId), notices::add);
        int atSigner = bankPresignatures(walletId);
        assertEquals(0, topUp.run());
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("could not make presignatures for wallet " + walletId), notices.get(0));
        PRINTED.addAll(notices);
        assertEquals(0, pool.count(walletId));
        assertEquals(atSigner, bankPresignatures(walletId), "nothing made at the signer either");
        assertNoSecretPrinted();
    }

    /**
     * Not an assertion on time: prints how long one co-signing takes on this machine with SIGN (empty pool) and
     * online (a presignature at hand), the device's whole part (REST check, channel, protocol, verification).
     */
    @Test
    void measureCoSigningSignAgainstOnline() throws Exception {
        Device d = device("bench");
        String walletId = json(d, "create", "bench").get("wallet").asText();
        Core core = new Core(d);
        int rounds = 7;
        List<Long> sign = new ArrayList<>();
        List<Long> online = new ArrayList<>();
        List<Long> signWhole = new ArrayList<>();
        List<Long> onlineWhole = new ArrayList<>();
        for (int i = 0; i < rounds * 2; i++) {
            boolean withPool = i % 2 == 1;
            if (!withPool) {
                core.vaults.pool().discard(walletId);
            }
            String requestId = requestSign(d, walletId, i);
            long t0 = System.nanoTime();
            CoSigning.Signed s = core.sign(requestId, walletId);
            long whole = (System.nanoTime() - t0) / 1_000_000;
            (withPool ? online : sign).add(core.lastSessionMillis);
            (withPool ? onlineWhole : signWhole).add(whole);
            assertEquals(List.of((withPool ? "ONLINE" : "SIGN") + ":COMPLETED"), sessions(requestId));
            s.topUp().run();
        }
        System.out.println("[bench] desktop co-signing, CoSigning.sign (address check, channel, session, "
                + "verification; ms): SIGN " + sign + " median " + median(sign) + "; online " + online + " median "
                + median(online));
        System.out.println("[bench] desktop co-signing incl. fetching the request, the co-sign check and opening the "
                + "vault (PBKDF2; ms): SIGN " + signWhole + " median " + median(signWhole) + "; online "
                + onlineWhole + " median " + median(onlineWhole));
    }

    // ---- helpers

    /** The core pieces as the CLI wires them, for a test that watches the channel. */
    private static final class Core {
        final Device d;
        final ShareStore shares;
        final VaultSecrets vaults;
        final CoSigning cosigning;
        final BankApi api;
        long lastSessionMillis;

        Core(Device d) {
            this.d = d;
            this.shares = new ShareStore(d.home);
            this.vaults = new VaultSecrets(shares, PRINTED::add);
            this.cosigning = new CoSigning(shares, vaults, PRINTED::add);
            SessionStore sessions = new SessionStore(d.home);
            Session s = sessions.load();
            this.api = new BankApi(s.server(), new BankApi.Tokens(s.accessToken(), s.refreshToken()),
                    t -> sessions.save(s.withTokens(t.accessToken(), t.refreshToken())));
        }

        CoSigning.Signed sign(String requestId, String walletId) {
            SignRequest req = api.getSignRequest(requestId);
            SigningCheck.Checked checked = SigningCheck.check(req, CosignCheck.Asset.ETH,
                    CosignCheck.FeeCeiling.NONE);
            List<ShareSelection.Candidate> candidates;
            try (DeviceSecrets secrets = new DeviceSecrets(new DeviceSecrets.Prompts() {
                @Override
                public char[] loginPassword(boolean mayAsk) {
                    return d.password.toCharArray();
                }

                @Override
                public char[] walletSecret(boolean confirm) {
                    return d.walletSecret.toCharArray();
                }
            })) {
                candidates = cosigning.currentShares(api, walletId, secrets);
            }
            long t0 = System.nanoTime();
            CoSigning.Signed signed = cosigning.sign(api, requestId, walletId, checked.tx(), candidates, false,
                    p -> { });
            lastSessionMillis = (System.nanoTime() - t0) / 1_000_000;
            return signed;
        }
    }

    private static Device device(String name) {
        return new Device(work.resolve(name + "-" + System.nanoTime()), bank.url(), bank::logs).register();
    }

    private static JsonNode json(Device d, String... args) {
        CliRun r = d.run(args);
        PRINTED.add(r.all());
        if (r.code() != 0) {
            throw new AssertionError("wallet " + String.join(" ", args) + " failed: " + r.err() + "\n" + bank.logs());
        }
        return parse(r.out());
    }

    private static JsonNode parse(String text) {
        try {
            return Device.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String requestSign(Device d, String walletId, int nonce) {
        return json(d, "request-sign", walletId, "--to", TO, "--value-wei", "1000000000000000", "--nonce",
                Integer.toString(nonce), "--gas-limit", "21000", "--max-fee", "2000000000", "--priority-fee",
                "1000000000", "--chain-id", "31337").get("request").asText();
    }

    private static Set<String> names(PresignaturePool pool, String walletId) {
        Set<String> out = new HashSet<>();
        pool.files(walletId).forEach(p -> out.add(p.getFileName().toString()));
        return out;
    }

    /** The kinds and statuses of the bank's channel sessions for a sign request, oldest first. */
    private static List<String> sessions(String requestId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = bank.db(); PreparedStatement st = c.prepareStatement(
                "select kind, status from mpc_sessions where request_id = ?::uuid order by created_at")) {
            st.setString(1, requestId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        return out;
    }

    private static int bankPresignatures(String walletId) throws Exception {
        return bankPresignatureIds(walletId).size();
    }

    /** The ids of the unused presignatures the signer holds for the wallet's key. */
    private static Set<String> bankPresignatureIds(String walletId) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = bank.db(); PreparedStatement st = c.prepareStatement("select presig_id from presignature"
                + " where keyset_id = (select keyset_id from wallets where id = ?::uuid)")) {
            st.setString(1, walletId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static byte[] poolKey(Device d, String walletId) throws Exception {
        byte[] envelope = Files.readAllBytes(new ShareStore(d.home).file(walletId));
        Result<PresignatureRecords.OpenedVault, VaultFailure> r = PresignatureRecords.openVault(
                d.walletSecret.toCharArray(), envelope, walletId, Party.P2);
        assertTrue(r.isOk());
        return r.value().poolKey();
    }

    /** Adds the wallet's pool key, its records and their presignatures to the secrets nothing may print. */
    private static void remember(Device d, String walletId) throws Exception {
        byte[] key = poolKey(d, walletId);
        SECRETS.add(Bytes.toHex(key));
        P2KeyShare share = new ShareStore(d.home).open(walletId, d.walletSecret.toCharArray());
        for (Path f : new PresignaturePool(d.home).files(walletId)) {
            byte[] record = Files.readAllBytes(f);
            PresignatureRecords.Parsed parsed = PresignatureRecords.parse(record).value();
            SECRETS.add(Bytes.toHex(parsed.sealed()));
            SECRETS.add(Base64.getEncoder().encodeToString(parsed.sealed()).substring(0, 40).toLowerCase(Locale.ROOT));
            Result<P2Presignature, VaultFailure> p = PresignatureRecords.open(key, record, walletId,
                    share.fingerprint());
            if (p.isOk()) {
                SECRETS.add(Bytes.toHex(p.value().encode()).substring(0, 200));
                assertFalse(p.value().toString().contains(Bytes.toHex(p.value().encode()).substring(80, 120)));
            }
        }
    }

    private static void assertNoSecretPrinted() {
        for (String text : PRINTED) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String secret : SECRETS) {
                assertFalse(lower.contains(secret), "a secret was printed");
            }
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String BankProcesses_send(String method, String path, String token, String body, int expected)
            throws Exception {
        return org.mpcwallet.desktop.testing.BankHttp.send(bank.url(), method, path, token, body, expected);
    }
}
