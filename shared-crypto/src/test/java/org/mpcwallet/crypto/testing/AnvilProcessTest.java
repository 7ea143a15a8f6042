package org.mpcwallet.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnvilProcessTest {

    @Test
    void startsAnswersAndStops() throws Exception {
        AnvilProcess anvil = AnvilProcess.start();
        try (ChainClient chain = new ChainClient(anvil)) {
            assertTrue(anvil.rpcUrl().startsWith("http://127.0.0.1:"), anvil.rpcUrl());
            assertEquals(AnvilProcess.CHAIN_ID, chain.chainId().longValueExact());
            assertFalse(anvil.recentOutput().contains(AnvilProcess.DEV_PRIVATE_KEY.substring(2)),
                    "dev keys are redacted from the kept output");
        } finally {
            anvil.close();
        }
        assertFalse(anvil.isAlive());
        anvil.close(); // idempotent
    }

    @Test
    void twoNodesGetTheirOwnPorts() {
        try (AnvilProcess a = AnvilProcess.start(); AnvilProcess b = AnvilProcess.start()) {
            assertFalse(a.rpcUrl().equals(b.rpcUrl()));
        }
    }

    @Test
    void aMissingBinaryNamesEveryPlaceSearched(@TempDir Path empty) {
        AnvilProcess.BinaryLookup.NotFound notFound = assertInstanceOf(AnvilProcess.BinaryLookup.NotFound.class,
                AnvilProcess.locate(Map.of("MPC_REPO_ROOT", empty.toString()), empty));
        String message = notFound.message();
        assertTrue(message.contains("ANVIL_BIN (not set)"), message);
        assertTrue(message.contains(empty.resolve(AnvilProcess.RELATIVE_BINARY).toString()), message);
        assertTrue(message.contains("and its parents"), message);
        assertTrue(message.contains("scripts/tools"), message);
    }

    @Test
    void anExplicitAnvilBinThatDoesNotExistIsReportedNotReplaced(@TempDir Path empty) {
        Path bogus = empty.resolve("no-such-anvil");
        AnvilProcess.BinaryLookup.NotFound notFound = assertInstanceOf(AnvilProcess.BinaryLookup.NotFound.class,
                AnvilProcess.locate(Map.of("ANVIL_BIN", bogus.toString()), Path.of(".")));
        assertTrue(notFound.message().contains("ANVIL_BIN=" + bogus + " (missing)"), notFound.message());
    }

    @Test
    void theRepositoryCopyIsFound() {
        assertInstanceOf(AnvilProcess.BinaryLookup.Found.class, AnvilProcess.locate());
    }
}
