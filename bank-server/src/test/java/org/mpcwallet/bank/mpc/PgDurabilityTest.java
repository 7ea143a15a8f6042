package org.mpcwallet.bank.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.db.Database;
import org.mpcwallet.signer.pg.PgLockRepository;
import org.mpcwallet.signer.pg.PgNonceLedger;
import org.mpcwallet.signer.pg.PgPresignatureRepository;
import org.mpcwallet.signer.pg.PgShareRepository;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.signer.spi.StoredShare;

/** What the ports wrote survives stopping and restarting PostgreSQL on the same data directory. */
class PgDurabilityTest {
    private static final String K = "keyset-durable";
    private static final String A = "aa".repeat(32);
    private static final String B = "bb".repeat(32);

    @Test
    void everyPortsWritesSurviveADatabaseRestart() {
        Path dir = TestDataDir.create("mpc-restart-");
        byte[] share = "sealed-share-e7".getBytes(StandardCharsets.UTF_8);
        byte[] presigB = "sealed-presig-b".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[16];
        nonce[3] = 42;
        long expires = System.currentTimeMillis() + 60_000;
        ProtocolFailure cause = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", Party.P2, "test lock");

        try (Database db = MpcTestDatabase.open(dir)) {
            new PgShareRepository(db.dataSource()).save(K, 6, "sealed-share-e6".getBytes(StandardCharsets.UTF_8));
            new PgShareRepository(db.dataSource()).replaceEpoch(K, 6, 7, share);
            new PgLockRepository(db.dataSource()).lock(K, cause);
            PgPresignatureRepository presigs = new PgPresignatureRepository(db.dataSource());
            presigs.store(K, A, 7, "sealed-presig-a".getBytes(StandardCharsets.UTF_8));
            presigs.store(K, B, 7, presigB);
            assertNotNull(presigs.take(K, A, null).blob());
            assertTrue(new PgNonceLedger(db.dataSource()).consume(nonce, expires));
        } // pool closed, PostgreSQL stopped

        try (Database db = MpcTestDatabase.open(dir)) {
            assertEquals(0, db.migrationsAppliedAtStartup(), "same schema, nothing re-applied");
            StoredShare s = new PgShareRepository(db.dataSource()).loadCurrent(K);
            assertEquals(7, s.epoch());
            assertArrayEquals(share, s.blob());
            assertEquals(cause, new PgLockRepository(db.dataSource()).current(K));
            PgPresignatureRepository presigs = new PgPresignatureRepository(db.dataSource());
            assertEquals(List.of(B), presigs.ids(K));
            assertNull(presigs.take(K, A, null).blob(), "a taken presignature never comes back");
            assertArrayEquals(presigB, presigs.take(K, B, null).blob());
            assertFalse(new PgNonceLedger(db.dataSource()).consume(nonce, expires), "replay after restart");
        }
    }
}
