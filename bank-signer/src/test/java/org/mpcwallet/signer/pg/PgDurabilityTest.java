package org.mpcwallet.signer.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.spi.StoredShare;
import org.mpcwallet.signer.testing.SignerTestDatabase;

/**
 * What the ports wrote survives stopping and restarting PostgreSQL on the same data directory, and the restarted
 * signer finds its schema current (bank-server's PgDurabilityTest checks the same through the bank's database).
 */
class PgDurabilityTest {
    private static final String K = "keyset-durable";
    private static final String A = "aa".repeat(32);
    private static final String B = "bb".repeat(32);

    @TempDir
    Path dir;

    @Test
    void everyPortsWritesSurviveADatabaseRestart() {
        Path data = dir.resolve("pg");
        byte[] share = "sealed-share-e7".getBytes(StandardCharsets.UTF_8);
        byte[] presigB = "sealed-presig-b".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[16];
        nonce[3] = 42;
        long expires = System.currentTimeMillis() + 60_000;
        ProtocolFailure cause = new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", Party.P2, "test lock");

        EmbeddedPostgres pg = SignerTestDatabase.start(data);
        try {
            DataSource ds = SignerTestDatabase.dataSource(pg.getPort(), "postgres");
            assertEquals(5, SignerAssembly.migrate(ds).applied());
            new PgShareRepository(ds).save(K, 6, "sealed-share-e6".getBytes(StandardCharsets.UTF_8));
            new PgShareRepository(ds).replaceEpoch(K, 6, 7, share);
            new PgLockRepository(ds).lock(K, cause);
            PgPresignatureRepository presigs = new PgPresignatureRepository(ds);
            presigs.store(K, A, 7, "sealed-presig-a".getBytes(StandardCharsets.UTF_8));
            presigs.store(K, B, 7, presigB);
            assertNotNull(presigs.take(K, A, null).blob());
            assertTrue(new PgNonceLedger(ds).consume(nonce, expires));
        } finally {
            SignerTestDatabase.close(pg); // PostgreSQL stopped
        }

        pg = SignerTestDatabase.start(data);
        try {
            DataSource ds = SignerTestDatabase.dataSource(pg.getPort(), "postgres");
            assertEquals(0, SignerAssembly.migrate(ds).applied(), "same schema, nothing re-applied");
            StoredShare s = new PgShareRepository(ds).loadCurrent(K);
            assertEquals(7, s.epoch());
            assertArrayEquals(share, s.blob());
            assertEquals(cause, new PgLockRepository(ds).current(K));
            PgPresignatureRepository presigs = new PgPresignatureRepository(ds);
            assertEquals(List.of(B), presigs.ids(K));
            assertNull(presigs.take(K, A, null).blob(), "a taken presignature never comes back");
            assertArrayEquals(presigB, presigs.take(K, B, null).blob());
            assertFalse(new PgNonceLedger(ds).consume(nonce, expires), "replay after restart");
        } finally {
            SignerTestDatabase.close(pg);
        }
    }
}
