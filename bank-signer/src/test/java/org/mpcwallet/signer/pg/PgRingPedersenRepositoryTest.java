package org.mpcwallet.signer.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.parity.TestRingPedersen;
import org.mpcwallet.crypto.testing.Race;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.signer.BankRingPedersen;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.spi.PersistenceException;
import org.mpcwallet.signer.testing.SignerTestDatabase;

/**
 * {@link PgRingPedersenRepository} on a real PostgreSQL: one value per signer database, the first writer wins, so
 * instances starting together converge on one parameter set. Each test has its own database (the table holds one row).
 */
class PgRingPedersenRepositoryTest {
    private static final ProvenRingPedersen A = TestRingPedersen.proven("pg-rp-a", ModPow.JAVA);
    private static final ProvenRingPedersen B = TestRingPedersen.proven("pg-rp-b", ModPow.JAVA);

    private static DataSource migrated(String label) {
        DataSource ds = SignerTestDatabase.fresh(label);
        SignerAssembly.migrate(ds);
        return ds;
    }

    @Test
    void theFirstStoredValueStaysAndEveryInstanceReadsIt() {
        DataSource ds = migrated("rp_first");
        PgRingPedersenRepository repo = new PgRingPedersenRepository(ds);
        assertNull(repo.load(), "nothing stored on a fresh database");
        assertArrayEquals(A.encode(), repo.saveIfAbsent(A.encode(), A.fingerprint()));
        assertArrayEquals(A.encode(), repo.saveIfAbsent(B.encode(), B.fingerprint()), "the first writer wins");
        assertArrayEquals(A.encode(), new PgRingPedersenRepository(ds).load(), "another instance reads it");
    }

    @Test
    void instancesStartingTogetherConvergeOnOneValue() throws Exception {
        DataSource ds = migrated("rp_race");
        AtomicInteger n = new AtomicInteger();
        List<byte[]> got = Race.run(8, 8, () -> {
            ProvenRingPedersen mine = n.incrementAndGet() % 2 == 0 ? A : B;
            return new PgRingPedersenRepository(ds).saveIfAbsent(mine.encode(), mine.fingerprint());
        });
        byte[] stored = new PgRingPedersenRepository(ds).load();
        assertTrue(Arrays.equals(stored, A.encode()) || Arrays.equals(stored, B.encode()));
        for (byte[] g : got) {
            assertArrayEquals(stored, g, "every caller gets the stored value");
        }
    }

    @Test
    void loadOrCreateUsesTheStoredParameters() {
        DataSource ds = migrated("rp_load");
        new PgRingPedersenRepository(ds).saveIfAbsent(A.encode(), A.fingerprint());
        ProvenRingPedersen loaded = BankRingPedersen.loadOrCreate(new PgRingPedersenRepository(ds), new SecureRandom());
        assertArrayEquals(A.encode(), loaded.encode());
        assertArrayEquals(A.fingerprint(), loaded.fingerprint());
    }

    @Test
    void aFingerprintOfTheWrongLengthIsRefusedWithoutValues() {
        DataSource ds = migrated("rp_bad");
        PersistenceException e = assertThrows(PersistenceException.class,
                () -> new PgRingPedersenRepository(ds).saveIfAbsent(A.encode(), new byte[31]));
        assertTrue(e.getMessage().startsWith("storing the signer's ring-Pedersen parameters failed (SQLSTATE 23514"),
                e.getMessage());
        assertFalse(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("insert"));
        assertNull(new PgRingPedersenRepository(ds).load(), "nothing stored");
    }

    @Test
    void anUnreachableDatabaseIsAPersistenceException() {
        var down = SignerTestDatabase.dataSource(1, "postgres");
        down.setConnectTimeout(2);
        PersistenceException e = assertThrows(PersistenceException.class,
                () -> new PgRingPedersenRepository(down).load());
        assertTrue(e.getMessage().contains("SQLSTATE 08"), e.getMessage());
    }
}
