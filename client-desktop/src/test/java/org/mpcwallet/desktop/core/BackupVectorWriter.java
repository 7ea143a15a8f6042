package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.desktop.testing.TestShares;

/**
 * Writes {@code shared-crypto/src/test/resources/vectors/backup/desktop-backup-v1.json}: a backup bundle exactly as
 * the desktop wallet writes it ({@link Backup#create}, one test share sealed with a wallet secret), with the secret
 * and the share it opens to, so that other clients' tests open the desktop's backups ({@code BackupVectorTest}
 * here, {@code BrowserVaultTest} in Chromium). Run by hand when the format changes:
 * {@code java -cp <client-desktop test classpath> org.mpcwallet.desktop.core.BackupVectorWriter <repo root>}.
 */
public final class BackupVectorWriter {
    static final String SECRET = "the desktop's wallet secret, for the vector";
    static final String WALLET_ID = "0f4b7a7e-8c2d-4f7e-9a51-2d3c9b1e6a10";

    private BackupVectorWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("backup-vector");
        ShareStore store = new ShareStore(dir.resolve("device"));
        VaultSecrets vaults = new VaultSecrets(store, line -> { });
        P2KeyShare share = TestShares.p2();
        vaults.saveNew(WALLET_ID, share, SECRET.toCharArray());
        Path bundle = dir.resolve("backup.json");
        try (DeviceSecrets secrets = new DeviceSecrets(new DeviceSecrets.Prompts() {
            @Override
            public char[] loginPassword(boolean mayAsk) {
                return null;
            }

            @Override
            public char[] walletSecret(boolean confirm) {
                return SECRET.toCharArray();
            }
        })) {
            Backup.create(vaults, bundle, secrets);
        }
        JsonNode written = Json.parse(Files.readString(bundle, StandardCharsets.UTF_8), "the backup");
        ObjectNode vector = Json.object().put("schema", "mpcwallet-backup-vector/1")
                .put("description", "A backup bundle as the desktop wallet writes it (client-desktop Backup.create):"
                        + " one P2 test share sealed with the wallet secret below. Every client must open it.")
                .put("walletSecret", SECRET).put("walletId", WALLET_ID).put("shareHex", Bytes.toHex(share.encode()));
        vector.set("bundle", written);
        Path out = Path.of(args[0], "shared-crypto/src/test/resources/vectors/backup/desktop-backup-v1.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(vector) + "\n");
        System.out.println("wrote " + out);
    }
}
