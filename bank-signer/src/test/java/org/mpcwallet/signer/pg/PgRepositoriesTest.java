package org.mpcwallet.signer.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.testing.Race;
import org.mpcwallet.signer.spi.LedgerMark;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.spi.PresignatureRepository;
import org.mpcwallet.signer.spi.StoredShare;
import org.mpcwallet.signer.testing.SignerTestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The four PostgreSQL ports' contracts against a real PostgreSQL migrated by the signer's own migrations, including
 * concurrent callers (moved here from bank-server with its assertions unchanged; issue 11 item 5).
 */
class PgRepositoriesTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final DataSource ds = SignerTestDatabase.shared();
    private final PgShareRepository shares = new PgShareRepository(ds);
    private final PgLockRepository locks = new PgLockRepository(ds);
    private final PgPresignatureRepository presigs = new PgPresignatureRepository(ds);
    private final PgNonceLedger nonces = new PgNonceLedger(ds);

    private static String keyset(String label) {
        return "ks-" + label + "-" + SEQ.incrementAndGet();
    }

    private static String presigId(String label) {
        return HexFormat.of().formatHex(Sha256.hash((label + "/" + SEQ.incrementAndGet())
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] nonce(String label) {
        byte[] h = Sha256.hash((label + "/" + SEQ.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
        return java.util.Arrays.copyOf(h, 16);
    }

    private static byte[] blob(String label) {
        return ("blob:" + label).getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code n} copies of {@code task} released together; returns their results. */
    private static <T> List<T> race(int n, Callable<T> task) throws Exception {
        return Race.run(n, n, task);
    }

    // ---- shares ---------------------------------------------------------------------------------------------

    @Test
    void shareIsSavedOnceAndLoadedByAnotherRepositoryInstance() {
        String k = keyset("share");
        assertNull(shares.loadCurrent(k));
        shares.save(k, 0, blob("e0"));
        StoredShare s = new PgShareRepository(ds).loadCurrent(k);
        assertEquals(0, s.epoch());
        assertArrayEquals(blob("e0"), s.blob());
        assertThrows(PersistenceException.Conflict.class, () -> shares.save(k, 5, blob("other")));
        assertArrayEquals(blob("e0"), shares.loadCurrent(k).blob(), "keygen never overwrites a key");
    }

    @Test
    void replaceEpochIsACompareAndSwap() {
        String k = keyset("cas");
        assertThrows(PersistenceException.Conflict.class, () -> shares.replaceEpoch(k, 0, 1, blob("x")),
                "no share: nothing to replace");
        shares.save(k, 3, blob("e3"));
        assertThrows(PersistenceException.Conflict.class, () -> shares.replaceEpoch(k, 2, 4, blob("e4")));
        assertEquals(3, shares.loadCurrent(k).epoch(), "unchanged after a conflict");
        shares.replaceEpoch(k, 3, 4, blob("e4"));
        StoredShare s = shares.loadCurrent(k);
        assertEquals(4, s.epoch());
        assertArrayEquals(blob("e4"), s.blob());
        assertThrows(PersistenceException.Conflict.class, () -> shares.replaceEpoch(k, 3, 5, blob("e5")),
                "the old epoch is gone");
        // the full u32 range round-trips
        shares.replaceEpoch(k, 4, -1, blob("max"));
        assertEquals(-1, shares.loadCurrent(k).epoch());
    }

    @Test
    void concurrentReplacementsOfOneEpochHaveExactlyOneWinner() throws Exception {
        String k = keyset("cas-race");
        shares.save(k, 1, blob("e1"));
        AtomicInteger next = new AtomicInteger(100);
        List<Boolean> won = race(10, () -> {
            int to = next.incrementAndGet();
            try {
                shares.replaceEpoch(k, 1, to, blob("e" + to));
                return true;
            } catch (PersistenceException.Conflict e) {
                return false;
            }
        });
        assertEquals(1, won.stream().filter(b -> b).count(), () -> "winners: " + won);
        StoredShare s = shares.loadCurrent(k);
        assertArrayEquals(blob("e" + s.epoch()), s.blob(), "epoch and blob come from the same writer");
    }

    // ---- locks ----------------------------------------------------------------------------------------------

    @Test
    void lockKeepsItsFirstCauseForGood() {
        String k = keyset("lock");
        assertNull(locks.current(k));
        ProtocolFailure first = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", Party.P2, "bad c3");
        ProtocolFailure second = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "S4", null, "later");
        locks.lock(k, first);
        locks.lock(k, second);
        assertEquals(first, new PgLockRepository(ds).current(k));
        assertThrows(IllegalArgumentException.class, () -> locks.lock(keyset("lock-bad"),
                new ProtocolFailure(FailureKind.PROOF_INVALID, "K2", Party.P2, "not a locking failure")));
        String k2 = keyset("lock-null-culprit");
        locks.lock(k2, second);
        assertEquals(second, locks.current(k2), "culprit null round-trips");
    }

    @Test
    void decryptionMarkersAreDurableAndOnlyOldOnesCountAsInterrupted() throws Exception {
        String k = keyset("marker");
        assertFalse(locks.interrupted(k, 30));
        locks.beginDecryption(k, "s1");
        locks.beginDecryption(k, "s1"); // idempotent
        assertFalse(locks.interrupted(k, 30), "a marker of a running decryption is not an interruption");
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("update signer_decryption set started_at = now() - interval '5 minutes' "
                    + "where keyset_id = '" + k + "'");
        }
        assertTrue(new PgLockRepository(ds).interrupted(k, 30), "an old marker is an interrupted decryption");
        locks.endDecryption(k, "s1");
        assertFalse(locks.interrupted(k, 30));
    }

    // ---- presignatures --------------------------------------------------------------------------------------

    @Test
    void thePoolKeepsTheNewestOfAKeysetAndNoOtherKeysetsPresignatures() {
        String k = keyset("pool");
        String other = keyset("pool-other");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(presigId("pool-" + i));
            presigs.store(k, ids.get(i), 1, blob("p" + i)); // one transaction each: stored in this order
        }
        String otherId = presigId("pool-other");
        presigs.store(other, otherId, 1, blob("o"));
        assertEquals(0, presigs.keepNewest(k, 5));
        assertEquals(2, presigs.keepNewest(k, 3));
        assertEquals(ids.subList(2, 5), presigs.ids(k), "the two oldest dropped");
        assertNull(presigs.take(k, ids.get(0), null).blob(), "a dropped one is never handed out");
        assertEquals(List.of(otherId), presigs.ids(other), "another keyset's pool untouched");
        assertEquals(3, presigs.keepNewest(k, 0));
        assertEquals(List.of(), presigs.ids(k));
        assertThrows(IllegalArgumentException.class, () -> presigs.keepNewest(k, -1));
    }

    @Test
    void presignatureIsTakenOnceAndDroppedByEpoch() {
        String k = keyset("presig");
        String a = presigId("a");
        String b = presigId("b");
        String c = presigId("c");
        presigs.store(k, a, 1, blob("a"));
        presigs.store(k, b, 1, blob("b"));
        presigs.store(k, c, 2, blob("c"));
        assertThrows(PersistenceException.Conflict.class, () -> presigs.store(k, a, 1, blob("again")));
        assertEquals(List.of(a, b, c), presigs.ids(k));
        assertEquals(List.of(), presigs.ids(keyset("empty")));
        assertNull(presigs.take(keyset("other"), a, null).blob(), "another keyset's id is not this keyset's");

        assertArrayEquals(blob("a"), presigs.take(k, a, null).blob());
        assertNull(presigs.take(k, a, null).blob(), "single use");
        assertNull(new PgPresignatureRepository(ds).take(k, a, null).blob(), "also for another instance");

        presigs.dropBefore(k, 2);
        assertEquals(List.of(c), presigs.ids(k));
        assertNull(presigs.take(k, b, null).blob(), "dropped");
        assertArrayEquals(blob("c"), presigs.take(k, c, null).blob());
        assertEquals(List.of(), presigs.ids(k));
    }

    /**
     * Issue 9 item 4: a database restored from a backup is behind the signer's high-water mark; the take then drops
     * every stored presignature and moves the restore epoch past both marks. A row of an older restore epoch is never
     * taken, and the operator's step (restored()) bumps the epoch by itself.
     */
    @Test
    void aRestoredLedgerBehindTheHighWaterMarkDropsEveryPresignature() throws Exception {
        String k = keyset("restore");
        String a = presigId("restore-a");
        String b = presigId("restore-b");
        presigs.store(k, a, 0, blob("a"));
        presigs.store(k, b, 0, blob("b"));
        LedgerMark before = ledger();
        PresignatureRepository.Taken t = presigs.take(k, a, before);
        assertArrayEquals(blob("a"), t.blob());
        assertEquals(new LedgerMark(before.restoreEpoch(), before.taken() + 1), t.mark());

        // the dump taken before the take comes back: the row and the ledger as they were
        insertRow(k, a, before.restoreEpoch());
        sql("update signer_presign_ledger set taken = " + before.taken());
        PresignatureRepository.Taken r = presigs.take(k, a, t.mark());
        assertTrue(r.rolledBack());
        assertNull(r.blob());
        assertEquals(new LedgerMark(before.restoreEpoch() + 1, before.taken() + 1), r.mark());
        assertEquals(r.mark(), ledger());
        assertEquals(List.of(), presigs.ids(k), "b is dropped too");

        insertRow(k, a, before.restoreEpoch());
        PresignatureRepository.Taken old = presigs.take(k, a, r.mark());
        assertNull(old.blob(), "a row of an older restore epoch is never taken");
        assertFalse(old.rolledBack());

        LedgerMark bumped = presigs.restored();
        assertEquals(before.restoreEpoch() + 2, bumped.restoreEpoch(), "the operator's step bumps the epoch");
        assertEquals(List.of(), presigs.ids(k));
        presigs.store(k, b, 0, blob("b"));
        assertArrayEquals(blob("b"), presigs.take(k, b, r.mark()).blob(), "new presignatures are taken as usual");
    }

    private LedgerMark ledger() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select restore_epoch, taken from signer_presign_ledger"); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            return new LedgerMark(rs.getLong(1), rs.getLong(2));
        }
    }

    private void insertRow(String k, String id, long restoreEpoch) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("insert into presignature "
                + "(keyset_id, presig_id, epoch, blob, restore_epoch) values (?, ?, 0, ?, ?)")) {
            ps.setString(1, k);
            ps.setString(2, id);
            ps.setBytes(3, blob(id));
            ps.setLong(4, restoreEpoch);
            ps.executeUpdate();
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void concurrentTakesOfOnePresignatureHaveExactlyOneWinner() throws Exception {
        String k = keyset("take-race");
        for (int round = 0; round < 5; round++) {
            String id = presigId("race-" + round);
            presigs.store(k, id, 0, blob(id));
            List<byte[]> got = race(8, () -> presigs.take(k, id, null).blob());
            List<byte[]> winners = got.stream().filter(java.util.Objects::nonNull).toList();
            assertEquals(1, winners.size(), "round " + round);
            assertArrayEquals(blob(id), winners.get(0));
        }
        assertEquals(List.of(), presigs.ids(k));
    }

    @Test
    void takeIsCommittedBeforeItReturns() throws Exception {
        String k = keyset("take-commit");
        String id = presigId("commit");
        presigs.store(k, id, 0, blob("x"));
        assertNotNull(presigs.take(k, id, null).blob());
        // a fresh connection outside the pool sees the delete at once
        try (Connection c = freshDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from presignature where keyset_id = ? and presig_id = ?")) {
            ps.setString(1, k);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    // ---- permit nonces --------------------------------------------------------------------------------------

    @Test
    void nonceIsConsumedOnceAndReplaysAreRefused() {
        byte[] n = nonce("once");
        long exp = System.currentTimeMillis() + 30_000;
        assertTrue(nonces.consume(n, exp));
        assertFalse(nonces.consume(n, exp), "replay");
        assertFalse(new PgNonceLedger(ds).consume(n.clone(), exp + 1), "replay through another instance");
        assertTrue(nonces.consume(nonce("other"), exp));
        assertThrows(IllegalArgumentException.class, () -> nonces.consume(new byte[15], exp));
        assertThrows(IllegalArgumentException.class, () -> nonces.consume(null, exp));
    }

    @Test
    void concurrentConsumesOfOneNonceHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            byte[] n = nonce("race-" + round);
            long exp = System.currentTimeMillis() + 30_000;
            List<Boolean> won = race(8, () -> nonces.consume(n, exp));
            assertEquals(1, won.stream().filter(b -> b).count(), "round " + round + ": " + won);
        }
    }

    @Test
    void pruneForgetsOnlyNoncesLongExpired() {
        long now = 1_900_000_000_000L; // far ahead, so other tests' nonces are pruned too and nothing breaks
        byte[] old = nonce("old");
        byte[] recent = nonce("recent");
        assertTrue(nonces.consume(old, now - PgNonceLedger.RETENTION_AFTER_EXPIRY_MILLIS - 1));
        assertTrue(nonces.consume(recent, now - PgNonceLedger.RETENTION_AFTER_EXPIRY_MILLIS + 1_000));
        assertTrue(nonces.prune(now) >= 1);
        assertTrue(nonces.consume(old, now + 10_000), "forgotten after retention");
        assertFalse(nonces.consume(recent, now + 10_000), "still remembered within retention");
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    @Test
    void databaseErrorsBecomePersistenceExceptionsWithoutSqlOrValues() {
        String k = keyset("err");
        PersistenceException e = assertThrows(PersistenceException.class,
                () -> presigs.store(k, "not-a-hex-id-SECRET", 0, blob("secret-blob")));
        assertFalse(e instanceof PersistenceException.Conflict);
        assertTrue(e.getMessage().startsWith("storing a presignature failed (SQLSTATE 23514"), e.getMessage());
        assertSafe(e);

        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setURL("jdbc:postgresql://127.0.0.1:1/postgres");
        down.setUser("postgres");
        down.setConnectTimeout(2);
        for (Runnable call : List.<Runnable>of(
                () -> new PgShareRepository(down).loadCurrent(k),
                () -> new PgShareRepository(down).save(k, 0, blob("secret-blob")),
                () -> new PgLockRepository(down).current(k),
                () -> new PgPresignatureRepository(down).take(k, presigId("down"), null),
                () -> new PgNonceLedger(down).consume(nonce("down"), 0))) {
            PersistenceException d = assertThrows(PersistenceException.class, call::run);
            assertTrue(d.getMessage().contains("SQLSTATE 08"), d.getMessage());
            assertSafe(d);
        }
    }

    private static void assertSafe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String raw = String.valueOf(t.getMessage());
            String m = raw.toLowerCase(java.util.Locale.ROOT);
            for (String bad : List.of("insert", "select", "delete", "update", "secret", "blob:", "keyset_")) {
                assertFalse(m.contains(bad), () -> "message leaks '" + bad + "': " + raw);
            }
        }
    }

    private static DataSource freshDataSource() {
        PGSimpleDataSource fresh = new PGSimpleDataSource();
        fresh.setURL(((PGSimpleDataSource) SignerTestDatabase.shared()).getURL());
        fresh.setUser("postgres");
        return fresh;
    }
}
