package org.mpcwallet.desktop.ui;

import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.run.DeviceWallet;

/**
 * The wallet secret as the window asks for it: once to open a share, twice (with the rule said) when this device
 * sets it. The secret never goes to the bank; the fields are cleared as soon as it is handed over.
 */
final class SecretField {
    final VBox box;
    final Forms.Field secret = new Forms.Field("_Wallet secret", new PasswordField(), "walletSecret", "");
    final Forms.Field repeat = new Forms.Field("_Repeat wallet secret", new PasswordField(), "repeatWalletSecret", "");
    private final boolean setting;

    SecretField(boolean setting) {
        this.setting = setting;
        box = new VBox(8, secret.box);
        if (setting) {
            box.getChildren().addAll(Forms.hint("Choose a wallet secret: at least 12 characters, not your login "
                    + "password. It seals your key share on this computer and never leaves it, so the bank "
                    + "cannot open your share. Keep it safe: without it your share cannot be used."), repeat.box);
        }
    }

    /** What was typed, handed over (the fields are cleared), or null with the error shown when nothing was. */
    DeviceWallet.Secret take() {
        if (secret.input.getText().isEmpty()) {
            secret.error("Enter your wallet secret");
            return null;
        }
        secret.error(null);
        DeviceWallet.Secret s = new DeviceWallet.Secret(secret.input.getText().toCharArray(),
                setting ? repeat.input.getText().toCharArray() : null);
        secret.input.clear();
        repeat.input.clear();
        return s;
    }

    /**
     * Shows {@code failure} next to the secret field (with {@code addendum}) and focuses it when it is about the
     * wallet secret; false (nothing shown) otherwise.
     */
    boolean showIfAbout(Throwable failure, String addendum) {
        if (!Problems.concernsWalletSecret(failure)) {
            return false;
        }
        secret.error(Problems.explain(failure) + addendum);
        secret.input.requestFocus();
        return true;
    }

    void disable(boolean on) {
        secret.input.setDisable(on);
        repeat.input.setDisable(on);
    }
}
