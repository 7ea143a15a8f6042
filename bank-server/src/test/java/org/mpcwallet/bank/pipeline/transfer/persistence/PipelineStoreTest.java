package org.mpcwallet.bank.pipeline.transfer.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.db.PoolTransactions;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.mpc.MpcTestDatabase;
import org.mpcwallet.crypto.testing.Race;

/** Nonce allocation and daily volume reservation on the real PostgreSQL, under concurrent writers. */
class PipelineStoreTest {
    private final DataSource ds = MpcTestDatabase.shared().dataSource();

    private <T> T tx(Transactions.Work<T> work) {
        return PoolTransactions.inTransaction(ds, work);
    }

    private static String address() {
        String hex = UUID.randomUUID().toString().replace("-", "") + "00000000";
        return "0x" + hex.substring(0, 40).toUpperCase();
    }

    private UUID wallet() {
        UUID user = UUID.randomUUID();
        UUID wallet = UUID.randomUUID();
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into users (id, username, password_hash, roles) "
                    + "values (?, ?, ?, array['CUSTOMER'])")) {
                ps.setObject(1, user);
                ps.setString(2, "u" + user.toString().substring(0, 8));
                ps.setString(3, "$2a$04$" + "a".repeat(53));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into wallets (id, name, type, risk_profile, "
                    + "custody_backend, status, keyset_id, created_by) values (?, 'w', 'RETAIL', 'LOW', 'MPC_2PC', "
                    + "'PENDING_KEYGEN', ?, ?)")) {
                ps.setObject(1, wallet);
                ps.setString(2, "ks-" + wallet);
                ps.setObject(3, user);
                ps.executeUpdate();
            }
            return null;
        });
        return wallet;
    }

    @Test
    void theFirstReservationSeedsFromTheNodeAndLaterOnesCountUp() {
        String a = address();
        BigInteger chain = BigInteger.valueOf(31337);
        AtomicInteger asked = new AtomicInteger();
        assertEquals(BigInteger.valueOf(5), tx(c -> NonceAllocator.reserve(c, chain, a, () -> {
            asked.incrementAndGet();
            return BigInteger.valueOf(5);
        })));
        assertEquals(BigInteger.valueOf(6), tx(c -> NonceAllocator.reserve(c, chain, a.toLowerCase(),
                () -> BigInteger.ZERO)));
        assertEquals(1, asked.get(), "the node is asked once");
        assertEquals(BigInteger.valueOf(7), tx(c -> NonceAllocator.peek(c, chain, a)));
        assertNull(tx(c -> NonceAllocator.peek(c, BigInteger.ONE, a)), "per chain");
        // a rolled-back reservation gives nothing away
        assertThrows(IllegalStateException.class, () -> tx(c -> {
            NonceAllocator.reserve(c, chain, a, () -> BigInteger.ZERO);
            throw new IllegalStateException("rollback");
        }));
        assertEquals(BigInteger.valueOf(7), tx(c -> NonceAllocator.peek(c, chain, a)));
        assertThrows(IllegalArgumentException.class, () -> tx(c -> NonceAllocator.reserve(c, chain, "0x12",
                () -> BigInteger.ZERO)));
    }

    @Test
    void concurrentReservationsNeverShareANonce() throws Exception {
        String a = address();
        BigInteger chain = BigInteger.valueOf(31337);
        int n = 40;
        List<BigInteger> got = runConcurrently(n, () -> tx(c -> NonceAllocator.reserve(c, chain, a,
                () -> BigInteger.valueOf(3))));
        Set<BigInteger> distinct = new TreeSet<>(got);
        assertEquals(n, distinct.size(), "no duplicate nonce");
        assertEquals(BigInteger.valueOf(3), ((TreeSet<BigInteger>) distinct).first());
        assertEquals(BigInteger.valueOf(3 + n - 1), ((TreeSet<BigInteger>) distinct).last(), "no gap");
    }

    @Test
    void dailyVolumeStopsAtTheLimitExactly() {
        UUID w = wallet();
        LocalDate day = LocalDate.of(2026, 11, 22);
        BigInteger limit = BigInteger.valueOf(100);
        assertTrue(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day, "ETH", BigInteger.valueOf(60), limit)));
        assertFalse(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day, "ETH", BigInteger.valueOf(41), limit)),
                "one over");
        assertTrue(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day, "ETH", BigInteger.valueOf(40), limit)),
                "exactly at");
        assertEquals(BigInteger.valueOf(100), tx(c -> DailyVolumes.used(c, w, day, "ETH")));
        assertFalse(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day.plusDays(1), "ETH", BigInteger.valueOf(101),
                limit)));
        assertTrue(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day.plusDays(1), "ETH", BigInteger.valueOf(100),
                limit)),
                "a new day");
        assertTrue(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day, "USDC", BigInteger.valueOf(1), limit)),
                "per asset");
        tx(c -> {
            DailyVolumes.release(c, w, day, "ETH", BigInteger.valueOf(40));
            return null;
        });
        assertEquals(BigInteger.valueOf(60), tx(c -> DailyVolumes.used(c, w, day, "ETH")));
        assertTrue(this.<Boolean>tx(c -> DailyVolumes.reserve(c, w, day, "ETH", BigInteger.TEN, null)), "no limit");
    }

    @Test
    void concurrentRequestsNeverOvershootTheDailyLimit() throws Exception {
        UUID w = wallet();
        LocalDate day = LocalDate.of(2026, 11, 23);
        BigInteger limit = BigInteger.valueOf(95);
        List<Boolean> got = runConcurrently(30, () -> tx(c -> DailyVolumes.reserve(c, w, day, "ETH",
                BigInteger.TEN, limit)));
        assertEquals(9, got.stream().filter(b -> b).count(), "exactly 9 × 10 fit under 95");
        assertEquals(BigInteger.valueOf(90), tx(c -> DailyVolumes.used(c, w, day, "ETH")));
    }

    private static <T> List<T> runConcurrently(int n, Callable<T> task) throws Exception {
        return Race.run(n, 8, task);
    }

}
