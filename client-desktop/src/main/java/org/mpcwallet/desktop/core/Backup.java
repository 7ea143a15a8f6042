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
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * Backup bundles: one JSON file (mode 600, written atomically) holding every wallet's vault envelope as it is on
 * disk, base64, with its wallet id. The shares stay encrypted under the password; a bundle is as safe as the
 * password. {@link #restore} opens every envelope with the password and checks every conflict <b>before</b> it
 * writes anything, so a wrong password or a refused overwrite leaves the data directory untouched.
 *
 * <pre>
 * {"format":"mpcwallet-backup","version":1,"createdAt":"2026-…Z","wallets":[{"walletId":"…","vault":"TVBDVgEB…"}]}
 * </pre>
 */
public final class Backup {
    public static final String FORMAT = "mpcwallet-backup";
    public static final int VERSION = 1;
    private static final long MAX_BUNDLE_BYTES = 64L * 1024 * 1024;

    private Backup() {}

    /** What a restore did: wallets written, and wallets whose identical share was already present. */
    public record Restored(List<String> restored, List<String> unchanged) {}

    /** Writes the bundle of every share in the store to {@code file}; returns the wallet ids it holds. */
    public static List<String> create(ShareStore store, Path file) {
        List<String> ids = store.walletIds();
        ObjectNode root = Json.object().put("format", FORMAT).put("version", VERSION)
                .put("createdAt", Instant.now().toString());
        ArrayNode wallets = root.putArray("wallets");
        for (String id : ids) {
            wallets.addObject().put("walletId", id)
                    .put("vault", Base64.getEncoder().encodeToString(store.envelope(id)));
        }
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
            throw new WalletException("the directory of " + file + " does not exist");
        }
        SecureFiles.writeAtomically(abs, Json.write(root).getBytes(StandardCharsets.UTF_8));
        return ids;
    }

    /**
     * Installs the bundle's shares. Every envelope must open with {@code password}; a wallet that already has a
     * different share is refused unless {@code force}; an identical share (same decoded share) is left as it is.
     */
    public static Restored restore(ShareStore store, Path file, char[] password, boolean force) {
        Map<String, byte[]> bundle = read(file);
        Map<String, P2KeyShare> opened = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : bundle.entrySet()) {
            try {
                opened.put(e.getKey(), ShareStore.decode(e.getKey(), e.getValue(), password));
            } catch (WalletException ex) {
                throw new WalletException("restore refused, nothing was written: " + ex.getMessage());
            }
        }
        List<String> write = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (Map.Entry<String, P2KeyShare> e : opened.entrySet()) {
            String id = e.getKey();
            if (!store.exists(id)) {
                write.add(id);
            } else if (sameShare(store, id, password, e.getValue())) {
                unchanged.add(id);
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
        for (String id : write) {
            store.install(id, bundle.get(id), true);
        }
        return new Restored(write, unchanged);
    }

    private static boolean sameShare(ShareStore store, String id, char[] password, P2KeyShare incoming) {
        P2KeyShare existing;
        try {
            existing = store.open(id, password);
        } catch (WalletException e) {
            return false;
        }
        byte[] a = existing.encode();
        byte[] b = incoming.encode();
        try {
            return Bytes.constantTimeEquals(a, b);
        } finally {
            Bytes.wipe(a);
            Bytes.wipe(b);
        }
    }

    private static Map<String, byte[]> read(Path file) {
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
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (JsonNode w : wallets) {
            String id = Json.text(w, "walletId", "a backup entry");
            ShareStore.requireWalletId(id);
            byte[] envelope;
            try {
                envelope = Base64.getDecoder().decode(Json.text(w, "vault", "a backup entry"));
            } catch (IllegalArgumentException e) {
                throw new WalletException("the backup entry of wallet " + id + " is not base64");
            }
            if (out.put(id, envelope) != null) {
                throw new WalletException("the backup names wallet " + id + " twice");
            }
        }
        return out;
    }
}
