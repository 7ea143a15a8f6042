package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.zk.ProofContext;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/** The device's own ring-Pedersen parameters on disk (docs/client-desktop.md "Files and modes"). */
class DeviceRingPedersenTest {
    @TempDir
    Path dir;

    @Test
    void madeOnceProvenKeptWithMode600AndReadBackUnchanged() throws Exception {
        Path data = dir.resolve("wallet-home");
        ProvenRingPedersen made = DeviceRingPedersen.loadOrCreate(data);
        Path file = data.resolve(DeviceRingPedersen.FILE);
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(2048, made.nHat().bitLength());
        // the bank checks exactly this: the proof verifies
        assertDoesNotThrow(() -> made.verify(new ProofContext("mpcwallet/keygen/v1", new byte[32], Party.P2),
                ModPow.JAVA));
        ProvenRingPedersen again = DeviceRingPedersen.loadOrCreate(data);
        assertArrayEquals(made.encode(), again.encode(), "the same parameters on every later use");
    }

    @Test
    void aFileThatDoesNotDecodeIsAnErrorAndIsNotReplaced() throws Exception {
        Path data = dir.resolve("broken");
        Files.createDirectories(data);
        Path file = data.resolve(DeviceRingPedersen.FILE);
        Files.write(file, new byte[] {1, 2, 3});
        WalletException e = assertThrows(WalletException.class, () -> DeviceRingPedersen.loadOrCreate(data));
        assertTrue(e.getMessage().contains("do not decode"), e::getMessage);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file), "left as it was");
    }
}
