package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.desktop.core.Backup;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.DeviceSecrets;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.KeyRefresh;
import org.mpcwallet.desktop.core.Keygen;
import org.mpcwallet.desktop.core.ShareStore;
import org.mpcwallet.desktop.core.WalletException;
import org.mpcwallet.desktop.core.WalletInfo;

/**
 * The wallet commands: {@code create} and {@code keygen} (the share sealed before K4), {@code list}, {@code refresh}
 * (the new share sealed as {@code .vault.next}, promoted after the bank's {@code done}), {@code grant},
 * {@code backup} and {@code restore}.
 */
final class WalletCommands extends CommandContext {
    WalletCommands(CommandContext c) {
        super(c);
    }

    /** Creates the wallet at the bank, runs keygen, seals the share before K4, prints id and address. */
    void create() {
        String name = cl.arg(0);
        String type = cl.option("--type", "RETAIL").toUpperCase(Locale.ROOT);
        String risk = cl.option("--risk", "LOW").toUpperCase(Locale.ROOT);
        keygenFor(api -> {
            WalletInfo wallet = api.createWallet(name, type, risk);
            progress("wallet " + wallet.id() + " created; running keygen with the bank (this takes a few seconds)");
            return wallet;
        });
    }

    /**
     * Runs the keygen of a wallet the bank created in PENDING_KEYGEN for this user, such as the successor of a
     * rotated wallet (docs/key-rotation.md).
     */
    void keygen() {
        String walletId = cl.arg(0);
        ShareStore.requireWalletId(walletId);
        keygenFor(api -> {
            WalletInfo wallet = api.getWallet(walletId);
            if (!"PENDING_KEYGEN".equals(wallet.status())) {
                throw new WalletException("wallet " + walletId + " is " + wallet.status() + "; only a PENDING_KEYGEN "
                        + "wallet runs a keygen");
            }
            if (safeExists(walletId)) {
                throw new WalletException("this device already holds a share for wallet " + walletId);
            }
            progress("running keygen for wallet " + walletId + " with the bank (this takes a few seconds)");
            return wallet;
        });
    }

    /**
     * Runs the keygen of the wallet {@code target} creates or names; the share is sealed with the wallet secret,
     * which is settled before the bank is asked for anything: set (twice, at least 12 characters, not the login
     * password) on a device whose shares have none yet, else entered and checked against a share it sealed.
     */
    void keygenFor(java.util.function.Function<BankApi, WalletInfo> target) {
        BankApi api = api();
        try (DeviceSecrets secrets = secrets()) {
            char[] walletSecret;
            try {
                walletSecret = vaults.sealingSecret(secrets);
            } catch (WalletException e) {
                throw new WalletException(e.getMessage() + "; nothing was sent to the bank or written");
            }
            WalletInfo wallet = target.apply(api);
            String name = wallet.name();
            ShareStore.requireWalletId(wallet.id());
            Keygen.Created created = Keygen.run(api, wallet.id(), vaults, walletSecret, deviceParams(), p -> {});
            KeygenDriver.Result r = created.result();
            print(Json.object().put("wallet", wallet.id()).put("name", name).put("address", r.address())
                            .put("publicKey", r.publicKeyHex()).put("vault", shares.file(wallet.id()).toString()),
                    "wallet " + wallet.id() + " (" + name + ")\naddress " + r.address() + "\nshare sealed with your "
                            + "wallet secret in " + shares.file(wallet.id()));
            created.topUp().run(); // after the result is printed: presignatures for the next co-signings
        }
    }

    void list() {
        BankApi api = api();
        List<WalletInfo> wallets = api.listWallets();
        ObjectNode n = Json.object();
        ArrayNode arr = n.putArray("wallets");
        StringBuilder text = new StringBuilder();
        for (WalletInfo w : wallets) {
            boolean local = safeExists(w.id());
            String setAside = null;
            if (local && "FAILED".equals(w.status())) {
                // a share sealed by a keygen that never completed is no wallet's key (docs/controls-hardening.md §7)
                setAside = shares.setAsideFailedKeygen(w.id()).toString();
                local = false;
            }
            ObjectNode o = arr.addObject().put("id", w.id()).put("name", w.name()).put("type", w.type())
                    .put("status", w.status()).put("address", w.address()).put("share", local);
            if (setAside != null) {
                o.put("shareSetAside", setAside);
            }
            text.append(String.format("%s  %-12s %-15s %s%s%n", w.id(), w.status(), w.name(),
                    w.address() == null ? "-" : w.address(), local ? "  (share on this device)"
                            : setAside != null ? "  (keygen failed: its share is not usable, set aside as " + setAside
                            + ")" : ""));
        }
        print(n, wallets.isEmpty() ? "no wallets" : text.toString().stripTrailing());
    }

    /**
     * Joins a key refresh an administrator authorized: the new share (same Q, next epoch) is sealed to
     * {@code <walletId>.vault.next} before R4 leaves; after the bank's {@code done} (same Q, that epoch) it replaces
     * {@code <walletId>.vault} atomically. If anything fails the old file stays.
     */
    void refresh() {
        String walletId = cl.arg(0);
        ShareStore.requireWalletId(walletId);
        BankApi api = api();
        try (DeviceSecrets secrets = secrets()) {
            KeyRefresh.Refreshed refreshed = new KeyRefresh(shares, vaults, cosigning, this::progress).run(api,
                    walletId, secrets, deviceParams(), p -> {});
            RefreshDriver.Result r = refreshed.result();
            print(Json.object().put("wallet", walletId).put("epoch", r.epoch()).put("publicKey", r.publicKeyHex()),
                    "wallet " + walletId + " refreshed: key epoch " + r.epoch() + ", same public key and address\n"
                            + "new share sealed in " + shares.file(walletId) + " (back it up again: older backups"
                            + " are stale)");
            refreshed.topUp().run(); // after the result is printed: presignatures of the new key
        }
    }

    /** {@code grant}: the OWNER gives another user a role on the wallet (e.g. APPROVER). */
    void grant() {
        String walletId = cl.arg(0);
        String userId = cl.arg(1);
        String role = cl.option("--role", "APPROVER").toUpperCase(Locale.ROOT);
        api().grantRole(walletId, userId, role);
        print(Json.object().put("wallet", walletId).put("userId", userId).put("role", role),
                "granted " + role + " on wallet " + walletId + " to user " + userId);
    }

    /**
     * Writes the backup bundle. A share still sealed with the login password is first re-sealed with the wallet
     * secret (the secrets are asked for only then), so the bundle holds only shares sealed with the wallet secret.
     */
    void backup() {
        Path file = Path.of(cl.arg(0)).toAbsolutePath();
        List<String> ids;
        try (DeviceSecrets secrets = secrets()) {
            ids = Backup.create(vaults, file, secrets);
        }
        ObjectNode n = Json.object().put("backup", file.toString());
        ArrayNode arr = n.putArray("wallets");
        ids.forEach(arr::add);
        print(n, "backed up " + ids.size() + " wallet share(s) to " + file
                + " (still encrypted with your wallet secret; keep the file safe)");
    }

    void restore() {
        Path file = Path.of(cl.arg(0)).toAbsolutePath();
        try (DeviceSecrets secrets = secrets()) {
            Backup.Restored r = Backup.restore(vaults, file, secrets, cl.flag("--force"));
            ObjectNode n = Json.object();
            ArrayNode a = n.putArray("restored");
            r.restored().forEach(a::add);
            ArrayNode u = n.putArray("unchanged");
            r.unchanged().forEach(u::add);
            print(n, "restored " + r.restored().size() + " wallet share(s)"
                    + (r.unchanged().isEmpty() ? "" : ", " + r.unchanged().size() + " already present"));
        }
    }
}
