package org.mpcwallet.desktop.ui;

import java.nio.file.Path;
import java.time.LocalDate;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.run.DeviceWallet;

/**
 * Back up this device's shares to a file (the vault format the command line and the browser wallet open), or
 * restore them from one. The file stays sealed with the wallet secret; the secret is asked to check it is this
 * device's.
 */
final class BackupPage implements WalletWindow.Page {
    private final WalletWindow w;
    private final boolean backup;
    private final VBox node;
    private final Forms.Field file = new Forms.Field("_File", new TextField(), "backupFile", "");
    private final SecretField secret = new SecretField(false);
    private final Label banner = Forms.banner("backupMessage");
    private final Button go;
    private final ProgressIndicator spin = new ProgressIndicator();

    BackupPage(WalletWindow w, boolean backup) {
        this.w = w;
        this.backup = backup;
        ((TextField) file.input).setText(backup ? Path.of(System.getProperty("user.home"), "mpcwallet-backup-"
                + LocalDate.now() + ".json").toString() : "");
        Button choose = new Button("C_hoose…");
        choose.setOnAction(e -> choose());
        HBox.setHgrow(file.input, Priority.ALWAYS);
        HBox fileLine = new HBox(8, file.box, choose);
        HBox.setHgrow(file.box, Priority.ALWAYS);
        fileLine.setAlignment(Pos.BOTTOM_LEFT);
        go = new Button(backup ? "_Back up" : "_Restore");
        go.setId("runBackup");
        go.setDefaultButton(true);
        go.getStyleClass().add("primary");
        go.setOnAction(e -> run());
        Button back = new Button("Back to _wallets");
        back.setCancelButton(true);
        back.setOnAction(e -> w.showWallets());
        spin.setMaxSize(22, 22);
        spin.setVisible(false);
        HBox actions = new HBox(10, go, back, spin);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox card = Forms.card(Forms.title(backup ? "Back up your key shares" : "Restore key shares"),
                Forms.hint(backup ? "The file holds every wallet share of this computer, still sealed with your "
                        + "wallet secret. Keep it somewhere safe and apart from this computer; the desktop and the "
                        + "browser wallet can restore it." : "Restores the shares of a backup file made by this "
                        + "wallet or the browser wallet. A different share already on this computer is never "
                        + "replaced."), banner, fileLine, secret.box, actions);
        card.setMaxWidth(640);
        node = new VBox(card);
        node.setAlignment(Pos.TOP_CENTER);
        node.getStyleClass().add("page");
    }

    private void choose() {
        FileChooser fc = new FileChooser();
        fc.setTitle(backup ? "Save the backup as" : "Open a backup");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Wallet backups", "*.json"));
        java.io.File f = backup ? fc.showSaveDialog(w.stage) : fc.showOpenDialog(w.stage);
        if (f != null) {
            file.input.setText(f.getAbsolutePath());
        }
    }

    private void run() {
        String text = file.input.getText().strip();
        if (text.isEmpty()) {
            file.error("Choose a file");
            return;
        }
        file.error(null);
        Path p = Path.of(text).toAbsolutePath();
        DeviceWallet.Secret s = secret.take();
        if (s == null) {
            return;
        }
        spin.setVisible(true);
        go.setDisable(true);
        if (backup) {
            w.runner.run(() -> w.device.backup(p, s), ids -> done("Backed up " + ids.size() + " wallet share"
                    + (ids.size() == 1 ? "" : "s") + " to " + p + ". Keep the file safe; a key refresh makes it "
                    + "stale, so back up again after one."), this::failed);
        } else {
            w.runner.run(() -> w.device.restore(p, s), r -> done("Restored " + r.restored().size() + " wallet "
                    + "share(s)" + (r.unchanged().isEmpty() ? "" : "; " + r.unchanged().size() + " already on this "
                    + "computer") + "."), this::failed);
        }
    }

    private void done(String text) {
        spin.setVisible(false);
        go.setDisable(false);
        Forms.show(banner, "banner-ok", text);
    }

    private void failed(Throwable t) {
        spin.setVisible(false);
        go.setDisable(false);
        String msg = Problems.explain(t);
        if (secret.showIfAbout(t, "")) {
            return;
        }
        if (msg.contains(file.input.getText().strip())) {
            file.error(msg);
        } else {
            Forms.show(banner, "banner-bad", msg);
        }
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return backup ? secret.secret.input : file.input;
    }
}
