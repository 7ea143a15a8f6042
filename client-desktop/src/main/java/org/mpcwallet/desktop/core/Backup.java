package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.VaultUnlock;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * Backup bundles: one JSON file (mode 600, written atomically) holding every wallet's vault envelope as it is on
 * disk, base64, with its wallet id and which secret seals it ({@code "sealedWith"}: {@code "wallet-secret"}, or
 * {@code "login-password"} for a share from before the wallet secret; a bundle without the field is from then too).
 * The shares stay encrypted; a bundle is as safe as the secret that seals it.
 *
 * <p>{@link #create} first migrates every share of the device still sealed with the login password (through
 * {@link VaultSecrets}, as any command that opens a share), so a new bundle holds only envelopes sealed with the
 * wallet secret. {@link #restore} opens every envelope by the same rule and checks every conflict <b>before</b> it
 * writes anything, so a wrong secret or a refused overwrite leaves the data directory untouched; an envelope sealed
 * with the wallet secret is installed byte for byte (with its mark), one still sealed with the login password is
 * re-sealed with the wallet secret as it is installed.
 *
 * <pre>
 * {"format":"mpcwallet-backup","version":1,"createdAt":"2026-…Z",
 *  "wallets":[{"walletId":"…","vault":"TVBDVgEB…","sealedWith":"wallet-secret"}]}
 * </pre>
 */
public final class Backup {
    public static final String FORMAT = "mpcwallet-backup";
    public static final int VERSION = 1;
    public static final String WALLET_SECRET = "wallet-secret";
    public static final String LOGIN_PASSWORD = "login-password";
    private static final long MAX_BUNDLE_BYTES = 64L * 1024 * 1024;

    private Backup() {}

    /** What a restore did: wallets written, and wallets whose identical share was already present. */
    public record Restored(List<String> restored, List<String> unchanged) {}

    /** One envelope of a bundle and whether the bundle says it is sealed with the wallet secret. */
    private record Entry(byte[] envelope, boolean walletSecret) {}

    /**
     * Writes the bundle of every share in the store to {@code file}, after migrating the shares still sealed with
     * the login password (which asks for the secrets only then); returns the wallet ids it holds.
     */
    public static List<String> create(VaultSecrets vaults, Path file, DeviceSecrets secrets) {
        ShareStore store = vaults.store();
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
            throw new WalletException("the directory of " + file + " does not exist");
        }
        List<String> ids = store.walletIds();
        for (String id : ids) {
            if (!vaults.isMarked(store.envelope(id))) {
                vaults.openVault(id, secrets);
            }
        }
        ObjectNode root = Json.object().put("format", FORMAT).put("version", VERSION)
                .put("createdAt", Instant.now().toString());
        ArrayNode wallets = root.putArray("wallets");
        for (String id : ids) {
            byte[] envelope = store.envelope(id);
            wallets.addObject().put("walletId", id)
                    .put("vault", Base64.getEncoder().encodeToString(envelope))
                    .put("sealedWith", vaults.isMarked(envelope) ? WALLET_SECRET : LOGIN_PASSWORD);
        }
        SecureFiles.writeAtomically(abs, Json.write(root).getBytes(StandardCharsets.UTF_8));
        return ids;
    }

    /**
     * Installs the bundle's shares. Every envelope must open by the rule of {@link VaultSecrets} (the wallet secret
     * for an envelope the bundle marks, else the login password, then the wallet secret); a wallet that already has a
     * different share is refused unless {@code force}; an identical share (same decoded share) is left as it is
     * (and migrated if it is still sealed with the login password). Nothing is written unless every check passed.
     */
    public static Restored restore(VaultSecrets vaults, Path file, DeviceSecrets secrets, boolean force) {
        ShareStore store = vaults.store();
        Map<String, Entry> bundle = read(file);
        Map<String, VaultSecrets.Unlocked> opened = new LinkedHashMap<>();
        boolean openedWithWalletSecret = false;
        boolean reseal = false;
        for (Map.Entry<String, Entry> e : bundle.entrySet()) {
            VaultSecrets.Unlocked u;
            try {
                u = vaults.unlock(e.getKey(), e.getValue().envelope(), e.getValue().walletSecret(), secrets);
            } catch (WalletException ex) {
                throw new WalletException("restore refused, nothing was written: " + ex.getMessage());
            }
            opened.put(e.getKey(), u);
            openedWithWalletSecret |= u.how().openedWith() == VaultUnlock.Secret.WALLET_SECRET;
            reseal |= u.how().reseal();
        }
        List<String> write = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Map<String, byte[]> existingToMigrate = new LinkedHashMap<>();
        Map<String, VaultSecrets.Unlocked> existingOpened = new LinkedHashMap<>();
        for (Map.Entry<String, VaultSecrets.Unlocked> e : opened.entrySet()) {
            String id = e.getKey();
            if (!store.exists(id)) {
                write.add(id);
                continue;
            }
            byte[] existing = store.envelope(id);
            VaultSecrets.Unlocked current = openQuietly(vaults, id, existing, secrets);
            if (current != null && sameShare(current.share(), e.getValue().share())) {
                unchanged.add(id);
                if (current.how().reseal() || current.how().mark()) {
                    existingToMigrate.put(id, existing);
                    existingOpened.put(id, current);
                    reseal |= current.how().reseal();
                }
            } else if (force) {
                write.add(id);
            } else {
                conflicts.add(id);
            }
        }
        if (!conflicts.isEmpty()) {
            throw new WalletException("restore refused, nothing was written: wallet(s) " + String.join(", ", conflicts)
                    + " already hold a different share (use --force to replace them)");
        }
        try {
            if (openedWithWalletSecret) {
                // the bundle's wallet secret must be this device's (if the device already has one)
                vaults.requireDeviceSecret(secrets, Set.copyOf(write));
                secrets.walletSecretOpenedAVault();
            }
            if (reseal) {
                vaults.sealingSecret(secrets);
            }
        } catch (WalletException ex) {
            throw new WalletException("restore refused, nothing was written: " + ex.getMessage());
        }
        for (String id : write) {
            VaultSecrets.Unlocked u = opened.get(id);
            if (u.how().reseal()) {
                vaults.installResealed(id, u.share(), secrets, true);
            } else {
                vaults.installMarked(id, bundle.get(id).envelope(), true);
            }
        }
        for (Map.Entry<String, byte[]> e : existingToMigrate.entrySet()) {
            Bytes.wipe(vaults.apply(store.file(e.getKey()), e.getKey(), e.getValue(), existingOpened.get(e.getKey()),
                    secrets));
        }
        return new Restored(write, unchanged);
    }

    private static VaultSecrets.Unlocked openQuietly(VaultSecrets vaults, String id, byte[] envelope,
            DeviceSecrets secrets) {
        try {
            return vaults.unlock(id, envelope, vaults.isMarked(envelope), secrets);
        } catch (WalletException e) {
            return null;
        }
    }

    private static boolean sameShare(P2KeyShare existing, P2KeyShare incoming) {
        byte[] a = existing.encode();
        byte[] b = incoming.encode();
        try {
            return Bytes.constantTimeEquals(a, b);
        } finally {
            Bytes.wipe(a);
            Bytes.wipe(b);
        }
    }

    private static Map<String, Entry> read(Path file) {
        JsonNode root = Json.parse(new String(SecureFiles.read(file, MAX_BUNDLE_BYTES), StandardCharsets.UTF_8),
                "the backup " + file);
        if (!root.isObject() || !FORMAT.equals(Json.optText(root, "format"))) {
            throw new WalletException(file + " is not a wallet backup");
        }
        JsonNode v = root.get("version");
        if (v == null || !v.isInt() || v.asInt() != VERSION) {
            throw new WalletException(file + " is a backup of an unknown version");
        }
        JsonNode wallets = root.get("wallets");
        if (wallets == null || !wallets.isArray()) {
            throw new WalletException(file + " has no wallet list");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (JsonNode w : wallets) {
            String id = Json.text(w, "walletId", "a backup entry");
            ShareStore.requireWalletId(id);
            byte[] envelope;
            try {
                envelope = Base64.getDecoder().decode(Json.text(w, "vault", "a backup entry"));
            } catch (IllegalArgumentException e) {
                throw new WalletException("the backup entry of wallet " + id + " is not base64");
            }
            String sealedWith = Json.optText(w, "sealedWith");
            if (sealedWith != null && !sealedWith.equals(WALLET_SECRET) && !sealedWith.equals(LOGIN_PASSWORD)) {
                throw new WalletException("the backup entry of wallet " + id + " names an unknown secret");
            }
            if (out.put(id, new Entry(envelope, WALLET_SECRET.equals(sealedWith))) != null) {
                throw new WalletException("the backup names wallet " + id + " twice");
            }
        }
        return out;
    }
}
