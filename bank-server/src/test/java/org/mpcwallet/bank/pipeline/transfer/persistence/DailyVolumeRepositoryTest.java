package org.mpcwallet.bank.pipeline.transfer.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.crypto.testing.Race;

/**
 * Daily volume reservation on the real PostgreSQL, under concurrent writers: {@link DailyVolumeRepository} in a bank
 * of its own (its transactions are the bank's, through {@link TransactionRunner}).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DailyVolumeRepositoryTest implements TestPropertyProvider {

    @Inject
    TransactionRunner transactions;

    @Inject
    DailyVolumeRepository volumes;

    @Override
    public Map<String, String> getProperties() {
        return TestDataDir.embeddedPropsAsStrings("volumes-");
    }

    private <T> T tx(Transactions.Work<T> work) {
        return transactions.inTransaction(work);
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
    void dailyVolumeStopsAtTheLimitExactly() {
        UUID w = wallet();
        LocalDate day = LocalDate.of(2026, 11, 22);
        BigInteger limit = BigInteger.valueOf(100);
        assertTrue(this.<Boolean>tx(c -> volumes.reserve(w, day, "ETH", BigInteger.valueOf(60), limit)));
        assertFalse(this.<Boolean>tx(c -> volumes.reserve(w, day, "ETH", BigInteger.valueOf(41), limit)),
                "one over");
        assertTrue(this.<Boolean>tx(c -> volumes.reserve(w, day, "ETH", BigInteger.valueOf(40), limit)),
                "exactly at");
        assertEquals(BigInteger.valueOf(100), tx(c -> volumes.used(w, day, "ETH")));
        assertFalse(this.<Boolean>tx(c -> volumes.reserve(w, day.plusDays(1), "ETH", BigInteger.valueOf(101),
                limit)));
        assertTrue(this.<Boolean>tx(c -> volumes.reserve(w, day.plusDays(1), "ETH", BigInteger.valueOf(100),
                limit)),
                "a new day");
        assertTrue(this.<Boolean>tx(c -> volumes.reserve(w, day, "USDC", BigInteger.valueOf(1), limit)),
                "per asset");
        tx(c -> {
            volumes.release(w, day, "ETH", BigInteger.valueOf(40));
            return null;
        });
        assertEquals(BigInteger.valueOf(60), tx(c -> volumes.used(w, day, "ETH")));
        assertTrue(this.<Boolean>tx(c -> volumes.reserve(w, day, "ETH", BigInteger.TEN, null)), "no limit");
    }

    @Test
    void concurrentRequestsNeverOvershootTheDailyLimit() throws Exception {
        UUID w = wallet();
        LocalDate day = LocalDate.of(2026, 11, 23);
        BigInteger limit = BigInteger.valueOf(95);
        List<Boolean> got = runConcurrently(30, () -> tx(c -> volumes.reserve(w, day, "ETH",
                BigInteger.TEN, limit)));
        assertEquals(9, got.stream().filter(b -> b).count(), "exactly 9 × 10 fit under 95");
        assertEquals(BigInteger.valueOf(90), tx(c -> volumes.used(w, day, "ETH")));
    }

    private static <T> List<T> runConcurrently(int n, Callable<T> task) throws Exception {
        return Race.run(n, 8, task);
    }
}
