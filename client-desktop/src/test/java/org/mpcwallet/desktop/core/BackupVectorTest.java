package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.desktop.testing.TestShares;

/**
 * The desktop's backup as a vector other clients open (shared-crypto's {@code vectors/backup/desktop-backup-v1.json},
 * opened in Chromium by client-web's {@code BrowserVaultTest}): it restores here to its share, and a bundle written
 * today has the vector's shape, so the vector cannot drift from what the desktop writes.
 */
class BackupVectorTest {
    @TempDir
    Path tmp;

    private static JsonNode vector() throws Exception {
        Path root = Path.of(System.getenv().getOrDefault("MPC_REPO_ROOT", ".."));
        Path f = root.resolve("shared-crypto/src/test/resources/vectors/backup/desktop-backup-v1.json");
        return Json.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString());
    }

    private static DeviceSecrets secrets(String secret) {
        return new DeviceSecrets(new DeviceSecrets.Prompts() {
            @Override
            public char[] loginPassword(boolean mayAsk) {
                return null;
            }

            @Override
            public char[] walletSecret(boolean confirm) {
                return secret.toCharArray();
            }
        });
    }

    @Test
    void theVectorRestoresToItsShare() throws Exception {
        JsonNode v = vector();
        Path bundle = tmp.resolve("backup.json");
        Files.writeString(bundle, Json.write(v.get("bundle")));
        VaultSecrets vaults = new VaultSecrets(new ShareStore(tmp.resolve("device")), line -> { });
        try (DeviceSecrets s = secrets(v.get("walletSecret").asText())) {
            Backup.Restored r = Backup.restore(vaults, bundle, s, false);
            assertEquals(List.of(v.get("walletId").asText()), r.restored());
            assertEquals(v.get("shareHex").asText(), Bytes.toHex(vaults.openVault(v.get("walletId").asText(), s)
                    .encode()));
        }
    }

    @Test
    void aBundleWrittenTodayHasTheVectorsShape() throws Exception {
        JsonNode v = vector().get("bundle");
        VaultSecrets vaults = new VaultSecrets(new ShareStore(tmp.resolve("today")), line -> { });
        vaults.saveNew(BackupVectorWriter.WALLET_ID, TestShares.p2(), "another wallet secret!".toCharArray());
        Path bundle = tmp.resolve("today.json");
        try (DeviceSecrets s = secrets("another wallet secret!")) {
            Backup.create(vaults, bundle, s);
        }
        JsonNode today = Json.parse(Files.readString(bundle, StandardCharsets.UTF_8), "today's bundle");
        assertEquals(fields(v), fields(today));
        assertEquals(fields(v.get("wallets").get(0)), fields(today.get("wallets").get(0)));
        assertEquals(v.get("format").asText(), today.get("format").asText());
        assertEquals(v.get("version").asInt(), today.get("version").asInt());
        assertEquals(Backup.WALLET_SECRET, v.get("wallets").get(0).get("sealedWith").asText());
        assertTrue(v.get("wallets").get(0).get("vault").asText().length() > 100);
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }
}
