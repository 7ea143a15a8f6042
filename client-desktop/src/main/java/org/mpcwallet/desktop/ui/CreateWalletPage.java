package org.mpcwallet.desktop.ui;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.desktop.ui.model.Inputs;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.run.DeviceWallet;
import org.mpcwallet.desktop.ui.run.Runner;

/**
 * Create a wallet: a name, a type and the wallet secret (set here, typed twice, on a device that has none). The
 * keygen runs in the background with a progress bar by protocol step and a Cancel button; the share is sealed on
 * this device before the bank may mark the wallet active.
 */
final class CreateWalletPage implements WalletWindow.Page {
    private final WalletWindow w;
    private final VBox node;
    private final Forms.Field name = new Forms.Field("Wallet _name", new TextField(), "walletName", "e.g. Savings");
    private final ChoiceBox<String> type = new ChoiceBox<>();
    private final SecretField secret;
    private final StepProgress progress = new StepProgress("keygen");
    private final Label banner = Forms.banner("createMessage");
    private final Button create = new Button("_Create wallet");
    private final Button cancel = new Button("Cancel");
    private Runner.Job job;

    CreateWalletPage(WalletWindow w) {
        this.w = w;
        this.secret = new SecretField(!w.device.walletSecretIsSet());
        type.getItems().addAll("RETAIL", "TREASURY", "OPS", "SETTLEMENT");
        type.setValue("RETAIL");
        type.setId("walletType");
        Label typeLabel = new Label("_Type");
        typeLabel.setMnemonicParsing(true);
        typeLabel.setLabelFor(type);
        create.setId("create");
        create.setDefaultButton(true);
        create.getStyleClass().add("primary");
        create.setOnAction(e -> start());
        cancel.setId("cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> cancel());
        HBox actions = new HBox(10, create, cancel);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox card = Forms.card(Forms.title("New wallet"), Forms.hint("This computer and your bank create the "
                        + "wallet's key together; the whole key never exists anywhere. It takes a few seconds."),
                banner, name.box, new VBox(3, typeLabel, type), secret.box, progress.box, actions);
        card.setMaxWidth(560);
        node = new VBox(card);
        node.setAlignment(Pos.TOP_CENTER);
        node.getStyleClass().add("page");
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return name.input;
    }

    private void start() {
        String n = name.take(Inputs.walletName(name.input.getText()));
        DeviceWallet.Secret s = n == null ? null : secret.take();
        if (n == null || s == null) {
            return;
        }
        String t = type.getValue();
        running(true);
        Forms.show(banner, null, null);
        progress.show(new DeviceSession.Progress(0, 4, "Checking your wallet secret"));
        job = w.runner.run(() -> w.device.createWallet(n, t, s, p -> w.runner.onUi(() -> progress.show(p))),
                this::done, this::failed);
    }

    private void done(KeygenDriver.Result r) {
        job = null;
        Label addr = new Label(r.address());
        addr.setId("newAddress");
        addr.getStyleClass().addAll("mono", "amount");
        Button back = new Button("Back to _wallets");
        back.setId("backToWallets");
        back.setDefaultButton(true);
        back.getStyleClass().add("primary");
        back.setOnAction(e -> w.showWallets());
        VBox card = Forms.card(Forms.title("Wallet created"), new Label("Its address:"), addr,
                Forms.hint("Your key share is sealed on this computer with your wallet secret. Make a backup of it "
                        + "now (open the wallet, then \"Back up\"): if this computer is lost, the backup and your "
                        + "wallet secret are the only way back."), back);
        card.setMaxWidth(560);
        node.getChildren().setAll(card);
        back.requestFocus();
    }

    private void failed(Throwable t) {
        job = null;
        running(false);
        if (!secret.showIfAbout(t, "")) {
            Forms.show(banner, "banner-bad", Problems.explain(t));
        }
    }

    private void running(boolean on) {
        create.setDisable(on);
        name.input.setDisable(on);
        type.setDisable(on);
        secret.disable(on);
        progress.running(on);
    }

    private void cancel() {
        if (job != null) {
            job.cancel();
            job = null;
            running(false);
            Forms.show(banner, "banner-info", "Cancelled. The unfinished wallet cannot be used; the bank marks it "
                    + "as failed. Nothing else changed.");
            return;
        }
        w.showWallets();
    }

    @Override
    public void leave() {
        if (job != null) {
            job.cancel();
        }
    }
}
