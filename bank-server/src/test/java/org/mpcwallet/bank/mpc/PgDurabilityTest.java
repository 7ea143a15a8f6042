package org.mpcwallet.bank.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.db.Database;
import org.mpcwallet.signer.pg.PgNonceLedger;
import org.mpcwallet.signer.pg.PgShareRepository;
import org.mpcwallet.signer.spi.StoredShare;

/**
 * The bank's database, opened as bank-server opens it (its migrations and the signer's), keeps the signer's writes
 * across a PostgreSQL restart on the same data directory, and the restarted bank re-applies nothing. Every port's
 * writes are checked across a restart in bank-signer's own PgDurabilityTest; this one checks the bank's way in.
 */
class PgDurabilityTest {
    private static final String K = "keyset-durable";

    @Test
    void theSignersWritesSurviveARestartOfTheBanksDatabase() {
        Path dir = TestDataDir.create("mpc-restart-");
        byte[] share = "sealed-share-e7".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[16];
        nonce[3] = 42;
        long expires = System.currentTimeMillis() + 60_000;

        try (Database db = MpcTestDatabase.open(dir)) {
            new PgShareRepository(db.dataSource()).save(K, 6, "sealed-share-e6".getBytes(StandardCharsets.UTF_8));
            new PgShareRepository(db.dataSource()).replaceEpoch(K, 6, 7, share);
            assertTrue(new PgNonceLedger(db.dataSource()).consume(nonce, expires));
        } // pool closed, PostgreSQL stopped

        try (Database db = MpcTestDatabase.open(dir)) {
            assertEquals(0, db.migrationsAppliedAtStartup(), "same schema, nothing re-applied");
            StoredShare s = new PgShareRepository(db.dataSource()).loadCurrent(K);
            assertEquals(7, s.epoch());
            assertArrayEquals(share, s.blob());
            assertFalse(new PgNonceLedger(db.dataSource()).consume(nonce, expires), "replay after restart");
        }
    }
}
