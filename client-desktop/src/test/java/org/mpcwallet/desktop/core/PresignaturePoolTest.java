package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.desktop.testing.TestShares;

/**
 * The presignature pool's files (docs/presign-online.md "Stage 3"): one mode-600 file per record named by its id,
 * at most {@link PresignaturePool#TARGET}; a take deletes the file before handing the presignature out; records that
 * do not open (another wallet's, another key's, another pool key's, a modified one) are deleted, never used.
 */
class PresignaturePoolTest {
    private static final String WALLET = "wallet-a";
    private static final byte[] POOL_KEY = key(1);

    @TempDir
    Path dataDir;

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    private static byte[] record(String wallet, byte[] poolKey, P2Presignature p) {
        return PresignatureRecords.seal(poolKey, wallet, p, DeterministicRandom.fromLabel("pool-test/" + p.idHex()));
    }

    private static P2KeyShare share() {
        return TestShares.p2();
    }

    @Test
    void recordsAreOwnerOnlyFilesNamedByIdAndThePoolStopsAtItsTarget() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        assertEquals(0, pool.count(WALLET));
        for (int i = 0; i < PresignaturePool.TARGET; i++) {
            assertTrue(pool.add(WALLET, record(WALLET, POOL_KEY, TestShares.presignature("fill-" + i))));
        }
        assertFalse(pool.add(WALLET, record(WALLET, POOL_KEY, TestShares.presignature("one-too-many"))),
                "never more than the target");
        List<Path> files = pool.files(WALLET);
        assertEquals(PresignaturePool.TARGET, files.size());
        for (Path f : files) {
            assertTrue(f.getFileName().toString().matches("[0-9a-f]{64}\\.presig"), f.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                pool.directory(WALLET))));
        assertEquals(PresignaturePool.TARGET, Files.list(pool.directory(WALLET)).count(), "no temporary file left");
        // another wallet's record is refused by add
        assertThrows(IllegalArgumentException.class, () -> pool.add(WALLET, record("wallet-b", POOL_KEY,
                TestShares.presignature("b"))));
    }

    @Test
    void takeDeletesTheFileBeforeHandingThePresignatureOut() {
        PresignaturePool pool = new PresignaturePool(dataDir);
        P2Presignature p = TestShares.presignature("take");
        pool.add(WALLET, record(WALLET, POOL_KEY, p));
        Path file = pool.files(WALLET).get(0);
        assertEquals(p.idHex() + ".presig", file.getFileName().toString());
        List<String> said = new ArrayList<>();
        P2Presignature taken = pool.take(WALLET, POOL_KEY, share().fingerprint(), said::add);
        assertNotNull(taken);
        assertArrayEquals(p.id(), taken.id());
        assertFalse(Files.exists(file), "single use: the file is gone");
        assertTrue(said.isEmpty(), said.toString());
        assertNull(pool.take(WALLET, POOL_KEY, share().fingerprint(), said::add), "never handed out twice");
    }

    @Test
    void recordsThatDoNotOpenAreDeletedAndTheNextOneIsUsed() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        P2Presignature good = TestShares.presignature("good");
        P2Presignature tampered = TestShares.presignature("tampered");
        P2Presignature oldKey = TestShares.presignature("old-pool-key");
        P2Presignature foreign = TestShares.presignature("foreign");
        pool.add(WALLET, record(WALLET, POOL_KEY, good));
        pool.add(WALLET, record(WALLET, POOL_KEY, tampered));
        pool.add(WALLET, record(WALLET, key(2), oldKey)); // sealed under an earlier vault's pool key
        Path dir = pool.directory(WALLET);
        // a record of another wallet copied in by hand
        Files.write(dir.resolve(foreign.idHex() + ".presig"), record("wallet-b", POOL_KEY, foreign));
        byte[] t = Files.readAllBytes(dir.resolve(tampered.idHex() + ".presig"));
        t[t.length - 1] ^= 1;
        Files.write(dir.resolve(tampered.idHex() + ".presig"), t);

        List<String> said = new ArrayList<>();
        List<String> used = new ArrayList<>();
        P2Presignature p;
        while ((p = pool.take(WALLET, POOL_KEY, share().fingerprint(), said::add)) != null) {
            used.add(p.idHex());
        }
        assertEquals(List.of(good.idHex()), used, "only the record that opens is used");
        assertEquals(3, said.size(), said.toString());
        assertEquals(0, pool.count(WALLET), "the others are deleted");
        for (String s : said) {
            assertFalse(s.contains(Bytes.toHex(POOL_KEY)), s);
        }
    }

    @Test
    void aRecordOfAnotherKeyEpochIsDeletedNotUsed() {
        PresignaturePool pool = new PresignaturePool(dataDir);
        pool.add(WALLET, record(WALLET, POOL_KEY, TestShares.presignature("epoch0")));
        List<String> said = new ArrayList<>();
        assertNull(pool.take(WALLET, POOL_KEY, TestShares.p2Refreshed().fingerprint(), said::add));
        assertEquals(1, said.size());
        assertTrue(said.get(0).contains("another key"), said.toString());
        assertEquals(0, pool.count(WALLET));
    }

    @Test
    void aTopUpThatCannotReachTheBankIsANoticeAndThePoolStaysAsItIs() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        pool.add(WALLET, record(WALLET, POOL_KEY, TestShares.presignature("kept")));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        BankApi api = new BankApi("http://127.0.0.1:" + port, new BankApi.Tokens("access", "refresh"), t -> { });
        List<String> notices = new ArrayList<>();
        byte[] key = POOL_KEY.clone();
        PoolTopUp topUp = new PoolTopUp(api, pool, WALLET, share(), key, notices::add);
        assertFalse(topUp.toString().contains(Bytes.toHex(POOL_KEY)));
        assertEquals(0, topUp.run(), "never throws");
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("could not make presignatures for wallet " + WALLET), notices.get(0));
        assertFalse(notices.get(0).contains(Bytes.toHex(POOL_KEY)));
        assertEquals(1, pool.count(WALLET), "the pool keeps what it holds");
        assertArrayEquals(new byte[32], key, "the pool key is wiped after the run");
        assertEquals(0, topUp.run(), "runs once");
        assertEquals(1, notices.size());
    }

    @Test
    void nothingThatHoldsAPoolKeyOrAPresignatureShowsItInToString() {
        String keyHex = Bytes.toHex(POOL_KEY);
        P2Presignature p = TestShares.presignature("shown");
        String encoded = Bytes.toHex(p.encode());
        for (Object o : List.of(new VaultSecrets.Opened(share(), POOL_KEY),
                new ShareSelection.Candidate(ShareSelection.Source.VAULT, share(), POOL_KEY), p,
                PresignatureRecords.parse(record(WALLET, POOL_KEY, p)).value())) {
            String s = o.toString().toLowerCase(java.util.Locale.ROOT);
            assertFalse(s.contains(keyHex), s);
            assertFalse(s.contains(encoded.substring(80, 140)), s);
        }
    }

    @Test
    void discardEmptiesOnlyThatWallet() {
        PresignaturePool pool = new PresignaturePool(dataDir);
        pool.add(WALLET, record(WALLET, POOL_KEY, TestShares.presignature("d1")));
        pool.add("wallet-b", record("wallet-b", POOL_KEY, TestShares.presignature("d2")));
        pool.discard(WALLET);
        assertEquals(0, pool.count(WALLET));
        assertFalse(Files.exists(pool.directory(WALLET)));
        assertEquals(1, pool.count("wallet-b"));
        pool.discard("never-had-one"); // nothing to do
    }

    @Test
    void concurrentTakesNeverHandOutOnePresignatureTwice() throws Exception {
        // two processes (or two co-signings of one) taking at once: each its own pool object, as a process has
        int takers = 6;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(takers);
        try {
            for (int round = 0; round < 40; round++) {
                PresignaturePool filler = new PresignaturePool(dataDir);
                List<String> stored = new ArrayList<>();
                for (int i = 0; i < PresignaturePool.TARGET; i++) {
                    P2Presignature p = TestShares.presignature("race-" + round + "-" + i);
                    assertTrue(filler.add(WALLET, record(WALLET, POOL_KEY, p)));
                    stored.add(p.idHex());
                }
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(takers);
                List<java.util.concurrent.Future<List<String>>> runs = new ArrayList<>();
                for (int t = 0; t < takers; t++) {
                    runs.add(threads.submit(() -> {
                        PresignaturePool mine = new PresignaturePool(dataDir);
                        List<String> got = new ArrayList<>();
                        List<String> said = new ArrayList<>();
                        start.await();
                        P2Presignature p;
                        while ((p = mine.take(WALLET, POOL_KEY, share().fingerprint(), said::add)) != null) {
                            got.add(p.idHex());
                        }
                        assertTrue(said.isEmpty(), "a record taken by another is skipped, not reported: " + said);
                        return got;
                    }));
                }
                List<String> all = new ArrayList<>();
                for (java.util.concurrent.Future<List<String>> r : runs) {
                    all.addAll(r.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                java.util.Collections.sort(all);
                java.util.Collections.sort(stored);
                assertEquals(stored, all, "round " + round + ": every presignature handed out exactly once");
                assertEquals(0, filler.count(WALLET));
                assertEquals(List.of(), filler.claims(WALLET), "no claim left behind");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aClaimOfADeadProcessIsDeletedNeverUsedAndALiveOnesIsLeftToIt() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        P2Presignature dead = TestShares.presignature("claimed-by-the-dead");
        P2Presignature live = TestShares.presignature("claimed-by-the-living");
        pool.add(WALLET, record(WALLET, POOL_KEY, dead));
        pool.add(WALLET, record(WALLET, POOL_KEY, live));
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Process running = new ProcessBuilder("sleep", "60").start();
        try {
            Path dir = pool.directory(WALLET);
            Path deadClaim = dir.resolve("." + dead.idHex() + ".presig.claimed-" + exited.pid() + "-1-"
                    + "0f".repeat(16));
            Path liveClaim = dir.resolve("." + live.idHex() + ".presig.claimed-" + running.pid() + "-1-"
                    + "a5".repeat(16));
            Files.move(dir.resolve(dead.idHex() + ".presig"), deadClaim); // killed between its claim and delete
            Files.move(dir.resolve(live.idHex() + ".presig"), liveClaim); // still co-signing with it
            assertEquals(0, pool.count(WALLET), "a claimed record is no longer the pool's");

            List<String> said = new ArrayList<>();
            assertNull(pool.take(WALLET, POOL_KEY, share().fingerprint(), said::add), "no claim is ever used");
            assertFalse(Files.exists(deadClaim), "the dead process's claim is deleted");
            assertTrue(Files.exists(liveClaim), "the live one's is its own to delete");
            pool.discard(WALLET);
            assertTrue(Files.exists(liveClaim), "a discard leaves a live claim too");
            running.destroy();
            running.waitFor();
            pool.discard(WALLET);
            assertFalse(Files.exists(liveClaim));
            assertFalse(Files.exists(dir), "and the directory goes with the last file");
        } finally {
            running.destroyForcibly();
        }
    }

    @Test
    void oneTopUpAtATimePerWallet() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        PresignaturePool other = new PresignaturePool(dataDir);
        try (PresignaturePool.TopUpLock held = pool.lockTopUp(WALLET)) {
            assertNotNull(held);
            assertNull(other.lockTopUp(WALLET), "taken");
            try (PresignaturePool.TopUpLock b = other.lockTopUp("wallet-b")) {
                assertNotNull(b, "per wallet");
            }

            // a top-up that finds the lock taken leaves the filling to the holder: no session, no notice
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            BankApi api = new BankApi("http://127.0.0.1:" + port, new BankApi.Tokens("access", "refresh"), t -> { });
            List<String> notices = new ArrayList<>();
            byte[] key = POOL_KEY.clone();
            assertEquals(0, new PoolTopUp(api, other, WALLET, share(), key, notices::add).run());
            assertEquals(List.of(), notices, "it did not try the bank");
            assertArrayEquals(new byte[32], key, "the pool key is wiped all the same");
        }
        try (PresignaturePool.TopUpLock again = other.lockTopUp(WALLET)) {
            assertNotNull(again, "released on close");
        }
        pool.discard(WALLET);
        assertFalse(Files.exists(pool.directory(WALLET)), "an idle lock file goes with the pool");
    }

    @Test
    void aTopUpLockHeldByAnotherProcessKeepsThisOneOut() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        try (PresignaturePool.TopUpLock created = pool.lockTopUp(WALLET)) {
            assertNotNull(created); // makes the directory and the lock file
        }
        Path lockFile = pool.directory(WALLET).resolve(".topup.lock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile)));
        // another JVM (the command-line wallet beside the window) locks the same file until its stdin closes
        Path holder = dataDir.resolve("Holder.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Holder {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE)) {
                            System.out.println(ch.tryLock() != null ? "locked" : "busy");
                            System.out.flush();
                            System.in.read();
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process other = new ProcessBuilder(java, holder.toString(), lockFile.toString()).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()))) {
            assertEquals("locked", out.readLine());
            assertNull(pool.lockTopUp(WALLET), "held by the other process");
            other.getOutputStream().close(); // it releases the lock and exits
            assertEquals(0, other.waitFor());
        } finally {
            other.destroyForcibly();
        }
        try (PresignaturePool.TopUpLock mine = pool.lockTopUp(WALLET)) {
            assertNotNull(mine, "free again");
        }
    }

    @Test
    void aPresignatureIdTheBankHandsOutTwiceDoesNotReplaceTheUnusedRecord() throws Exception {
        PresignaturePool pool = new PresignaturePool(dataDir);
        P2Presignature first = TestShares.presignature("bank-reuses-this-id");
        assertTrue(pool.add(WALLET, record(WALLET, POOL_KEY, first)));
        Path file = pool.files(WALLET).get(0);
        byte[] kept = Files.readAllBytes(file);
        // a second record under the same id (a bank that reused its session id; a fresh seal, other bytes)
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.add(WALLET,
                record(WALLET, key(3), first)));
        assertTrue(e.getMessage().contains("reused its id"), e.getMessage());
        assertArrayEquals(kept, Files.readAllBytes(file), "the unused record stays as it was");
        assertEquals(1, pool.count(WALLET));
    }
}
