package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultHeader;

/**
 * The device's metadata file {@code <dataDir>/vault-seals.json} (mode 600, written atomically): which vault
 * envelopes on this device are sealed with the wallet secret (docs/vault-format.md "Which secret seals the vault").
 * An envelope is named by its wallet id and salt, both in its public header (the salt is random and fresh for every
 * envelope), not by its file name, so a mark follows the bytes through the renames the device makes
 * ({@code .vault.next} over {@code .vault}, a share set aside, a restore). A mark is a hint, not a security property: an envelope without
 * one is tried with the login password first, then with the wallet secret ({@code VaultUnlock}).
 *
 * <pre>
 * {"format":"mpcwallet-vault-seals","version":1,"walletSecret":[{"walletId":"…","salt":"000102…0f"}]}
 * </pre>
 */
public final class VaultMarks {
    public static final String FILE_NAME = "vault-seals.json";
    public static final String FORMAT = "mpcwallet-vault-seals";
    public static final int VERSION = 1;
    private static final long MAX_BYTES = 1024L * 1024;

    private final Path dataDir;
    private final Path file;

    public VaultMarks(Path dataDir) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** An envelope's name in the file: the wallet id and salt of its (public, unauthenticated) header. */
    public record Key(String walletId, String saltHex) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = walletId.compareTo(o.walletId);
            return c != 0 ? c : saltHex.compareTo(o.saltHex);
        }
    }

    /** The key of {@code envelope}, or null when it is not a readable vault envelope (then it is never marked). */
    public static Key keyOf(byte[] envelope) {
        Result<VaultHeader, VaultFailure> h = ShareVault.inspect(envelope);
        return h.isOk() ? new Key(h.value().walletId(), Bytes.toHex(h.value().salt())) : null;
    }

    /** Whether {@code envelope} is marked as sealed with the wallet secret. */
    public boolean isMarked(byte[] envelope) {
        Key k = keyOf(envelope);
        return k != null && load().contains(k);
    }

    /** The marks in the file (none when there is no file yet); a damaged file is an error, never overwritten. */
    public Set<Key> load() {
        Set<Key> keys = new TreeSet<>();
        if (!Files.exists(file)) {
            return keys;
        }
        String what = "the device metadata file " + file;
        JsonNode root = Json.parse(new String(SecureFiles.read(file, MAX_BYTES), StandardCharsets.UTF_8), what);
        JsonNode v = root.get("version");
        JsonNode list = root.get("walletSecret");
        if (!root.isObject() || !FORMAT.equals(Json.optText(root, "format")) || v == null || !v.isInt()
                || v.asInt() != VERSION || list == null || !list.isArray()) {
            throw new WalletException(what + " is damaged; it only says which shares are sealed with the wallet "
                    + "secret, so it may be moved away (every share is then tried with the login password, then with "
                    + "the wallet secret)");
        }
        for (JsonNode e : list) {
            keys.add(new Key(Json.text(e, "walletId", what), Json.text(e, "salt", what)));
        }
        return keys;
    }

    /**
     * Marks the envelope named {@code add} and forgets every mark that names none of {@code present} (the envelopes
     * the device still holds), then writes the file atomically.
     */
    public void mark(Key add, Collection<Key> present) {
        Set<Key> keys = load();
        keys.retainAll(present);
        keys.add(add);
        write(keys);
    }

    private void write(Set<Key> keys) {
        ObjectNode root = Json.object().put("format", FORMAT).put("version", VERSION);
        ArrayNode list = root.putArray("walletSecret");
        for (Key k : keys) {
            list.addObject().put("walletId", k.walletId()).put("salt", k.saltHex());
        }
        SecureFiles.privateDirectory(dataDir);
        SecureFiles.writeAtomically(file, Json.write(root).getBytes(StandardCharsets.UTF_8));
    }
}
