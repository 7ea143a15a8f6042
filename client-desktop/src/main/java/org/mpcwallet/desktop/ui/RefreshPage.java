package org.mpcwallet.desktop.ui;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.model.WalletRow;
import org.mpcwallet.desktop.ui.run.DeviceWallet;
import org.mpcwallet.desktop.ui.run.Runner;

/**
 * Refresh a wallet's key after the bank authorized it: new shares on both sides for the same key and address, the
 * new share sealed on this computer before the bank commits. Then the user is told to make a new backup: a backup of
 * the old share cannot sign any more (the bank refuses it as stale).
 */
final class RefreshPage implements WalletWindow.Page {
    private final WalletWindow w;
    private final WalletRow wallet;
    private final VBox node;
    private final SecretField secret = new SecretField(false);
    private final StepProgress progress = new StepProgress("refresh");
    private final Label banner = Forms.banner("refreshMessage");
    private final Button go = new Button("_Refresh key");
    private final Button cancel = new Button("Cancel");
    private Runner.Job job;

    RefreshPage(WalletWindow w, WalletRow wallet) {
        this.w = w;
        this.wallet = wallet;
        go.setId("runRefresh");
        go.setDefaultButton(true);
        go.getStyleClass().add("primary");
        go.setOnAction(e -> start());
        cancel.setId("cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> cancel());
        HBox actions = new HBox(10, go, cancel);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox card = Forms.card(Forms.title("Refresh the key of " + wallet.name()), Forms.hint("Your bank can "
                + "authorize a refresh of the wallet's key, e.g. after a device was lost or as a routine: this "
                + "computer and the bank make new shares of the same key. The address and the funds stay; shares "
                + "from before, including those in older backups, can no longer sign."), banner, secret.box,
                progress.box, actions);
        card.setMaxWidth(600);
        node = new VBox(card);
        node.setAlignment(Pos.TOP_CENTER);
        node.getStyleClass().add("page");
    }

    private void start() {
        DeviceWallet.Secret s = secret.take();
        if (s == null) {
            return;
        }
        running(true);
        Forms.show(banner, null, null);
        progress.show(new DeviceSession.Progress(0, 4, "Opening your key share"));
        job = w.runner.run(() -> w.device.refresh(wallet.id(), s, p -> w.runner.onUi(() -> progress.show(p))),
                this::done, this::failed);
    }

    private void done(RefreshDriver.Result r) {
        job = null;
        Button backup = new Button("_Back up now");
        backup.setId("backupNow");
        backup.setDefaultButton(true);
        backup.getStyleClass().add("primary");
        backup.setOnAction(e -> w.set(new BackupPage(w, true)));
        Button later = new Button("Later");
        later.setCancelButton(true);
        later.setOnAction(e -> w.showWallets());
        Label what = new Label("The key of " + wallet.name() + " is refreshed (epoch " + r.epoch() + "); its address "
                + "and funds are unchanged.");
        what.setId("refreshDone");
        what.setWrapText(true);
        VBox card = Forms.card(Forms.title("Key refreshed"), what, banner, new HBox(10, backup, later));
        Forms.show(banner, "banner-info", "Make a new backup now: your older backups hold the old share, which can no "
                + "longer sign.");
        card.setMaxWidth(600);
        node.getChildren().setAll(card);
        backup.requestFocus();
    }

    private void failed(Throwable t) {
        job = null;
        running(false);
        if (!secret.showIfAbout(t, "")) {
            Forms.show(banner, "banner-bad", Problems.explain(t));
        }
    }

    private void running(boolean on) {
        go.setDisable(on);
        secret.disable(on);
        progress.running(on);
    }

    private void cancel() {
        if (job != null) {
            job.cancel();
            job = null;
            running(false);
            Forms.show(banner, "banner-info", "Cancelled. Your current share is unchanged.");
            return;
        }
        w.showWallet(wallet);
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return secret.secret.input;
    }

    @Override
    public void leave() {
        if (job != null) {
            job.cancel();
        }
    }
}
