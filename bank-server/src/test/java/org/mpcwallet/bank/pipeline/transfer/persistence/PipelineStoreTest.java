package org.mpcwallet.bank.pipeline.transfer.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
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

/**
 * Nonce allocation on the real PostgreSQL, under concurrent writers (daily volume reservation:
 * {@link DailyVolumeRepositoryTest}).
 */
class PipelineStoreTest {
    private final DataSource ds = MpcTestDatabase.shared().dataSource();

    private <T> T tx(Transactions.Work<T> work) {
        return PoolTransactions.inTransaction(ds, work);
    }

    private static String address() {
        String hex = UUID.randomUUID().toString().replace("-", "") + "00000000";
        return "0x" + hex.substring(0, 40).toUpperCase();
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

    private static <T> List<T> runConcurrently(int n, Callable<T> task) throws Exception {
        return Race.run(n, 8, task);
    }

}
