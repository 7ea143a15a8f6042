package org.mpcwallet.bank.pipeline.transfer.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.exceptions.TransactionException;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.crypto.testing.Race;

/**
 * Nonce allocation on the real PostgreSQL, under concurrent writers: {@link NonceAllocationRepository} in a bank of
 * its own (its transactions are the bank's, through {@link TransactionRunner}; daily volume reservation:
 * {@link DailyVolumeRepositoryTest}).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineStoreTest implements TestPropertyProvider {

    @Inject
    TransactionRunner transactions;

    @Inject
    NonceAllocationRepository nonces;

    @Inject
    TxRequestRepository requests;

    @Inject
    SweepRepository sweeps;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("nonces-");
    }

    private <T> T tx(Transactions.Work<T> work) {
        return transactions.inTransaction(work);
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
        assertEquals(BigInteger.valueOf(5), tx(c -> nonces.reserve(chain, a, () -> {
            asked.incrementAndGet();
            return BigInteger.valueOf(5);
        })));
        assertEquals(BigInteger.valueOf(6), tx(c -> nonces.reserve(chain, a.toLowerCase(),
                () -> BigInteger.ZERO)));
        assertEquals(1, asked.get(), "the node is asked once");
        assertEquals(BigInteger.valueOf(7), tx(c -> nonces.peek(chain, a)));
        assertNull(tx(c -> nonces.peek(BigInteger.ONE, a)), "per chain");
        // a rolled-back reservation gives nothing away
        assertThrows(IllegalStateException.class, () -> tx(c -> {
            nonces.reserve(chain, a, () -> BigInteger.ZERO);
            throw new IllegalStateException("rollback");
        }));
        assertEquals(BigInteger.valueOf(7), tx(c -> nonces.peek(chain, a)));
        assertThrows(IllegalArgumentException.class, () -> tx(c -> nonces.reserve(chain, "0x12",
                () -> BigInteger.ZERO)));
    }

    @Test
    void concurrentReservationsNeverShareANonce() throws Exception {
        String a = address();
        BigInteger chain = BigInteger.valueOf(31337);
        int n = 40;
        List<BigInteger> got = runConcurrently(n, () -> tx(c -> nonces.reserve(chain, a,
                () -> BigInteger.valueOf(3))));
        Set<BigInteger> distinct = new TreeSet<>(got);
        assertEquals(n, distinct.size(), "no duplicate nonce");
        assertEquals(BigInteger.valueOf(3), ((TreeSet<BigInteger>) distinct).first());
        assertEquals(BigInteger.valueOf(3 + n - 1), ((TreeSet<BigInteger>) distinct).last(), "no gap");
    }

    @Test
    void theReservationAndTheLockingReadsRefuseToRunOutsideATransaction() {
        String a = address();
        BigInteger chain = BigInteger.valueOf(31337);
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> nonces.reserve(chain, a, () -> BigInteger.ONE)));
        assertNull(tx(c -> nonces.peek(chain, a)), "nothing reserved");
        UUID id = UUID.randomUUID();
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> requests.claim(EnumSet.of(TxStatus.SUBMITTED), 1)));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> requests.lockIfDue(id)));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> requests.find(id, true)));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> requests.controlsOf(id)));
        assertInstanceOf(TransactionException.class, assertThrows(RuntimeException.class,
                () -> sweeps.rotation(id, true)));
        // inside one they run (nothing there)
        assertEquals(List.of(), tx(c -> requests.claim(EnumSet.of(TxStatus.SUBMITTED), 0)));
        assertFalse(this.<Boolean>tx(c -> requests.lockIfDue(id)));
        assertTrue(tx(c -> requests.find(id, true)).isEmpty());
        assertTrue(tx(c -> requests.controlsOf(id)).isEmpty());
        assertTrue(tx(c -> sweeps.rotation(id, true)).isEmpty());
    }

    private static <T> List<T> runConcurrently(int n, Callable<T> task) throws Exception {
        return Race.run(n, 8, task);
    }

}
