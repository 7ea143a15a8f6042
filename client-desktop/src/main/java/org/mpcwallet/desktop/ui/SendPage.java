package org.mpcwallet.desktop.ui;

import java.math.BigInteger;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.mpcwallet.desktop.core.Balances;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.ui.model.Inputs;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.model.WalletRow;

/**
 * Send from a wallet: recipient (checksum validated as typed), asset, amount in units, note. The bank then screens
 * it, applies its policies and collects approvals; the transfer's page follows it.
 */
final class SendPage implements WalletWindow.Page {
    private final WalletWindow w;
    private final WalletRow wallet;
    private final VBox node;
    private final Forms.Field to = new Forms.Field("_Recipient address", new TextField(), "recipient", "0x…");
    private final Forms.Field amount = new Forms.Field("_Amount", new TextField(), "amount", "e.g. 0.25");
    private final Forms.Field note = new Forms.Field("N_ote (optional, for you and the bank)", new TextField(), "note",
            "");
    private final ChoiceBox<String> asset = new ChoiceBox<>();
    private final Label available = Forms.hint("");
    private final Label banner = Forms.banner("sendMessage");
    private final Button submit = new Button("_Send");
    private final ProgressIndicator spin = new ProgressIndicator();
    private List<Balances.Balance> balances = List.of();

    SendPage(WalletWindow w, WalletRow wallet) {
        this.w = w;
        this.wallet = wallet;
        asset.setId("asset");
        asset.getItems().add("ETH");
        asset.setValue("ETH");
        asset.valueProperty().addListener((o, a, b) -> showAvailable());
        available.setId("available");
        Label assetLabel = new Label("A_sset");
        assetLabel.setMnemonicParsing(true);
        assetLabel.setLabelFor(asset);
        to.input.textProperty().addListener((o, a, b) -> {
            if (b.length() >= 42) {
                to.take(Inputs.recipient(b));
            } else {
                to.error(null);
            }
        });
        submit.setId("submitSend");
        submit.setDefaultButton(true);
        submit.getStyleClass().add("primary");
        submit.setOnAction(e -> submit());
        Button back = new Button("Cancel");
        back.setCancelButton(true);
        back.setOnAction(e -> w.showWallets());
        spin.setMaxSize(22, 22);
        spin.setVisible(false);
        HBox actions = new HBox(10, submit, back, spin);
        actions.setAlignment(Pos.CENTER_LEFT);
        Label from = new Label("From " + wallet.name() + " (" + wallet.address() + ")");
        from.setWrapText(true);
        VBox card = Forms.card(Forms.title("Send"), from, banner, to.box, new VBox(3, assetLabel, asset), amount.box,
                available, note.box, Forms.hint("Your bank screens the transfer and may ask its approvers; then this "
                        + "computer asks you to co-sign exactly this transfer."), actions);
        card.setMaxWidth(620);
        node = new VBox(card);
        node.setAlignment(Pos.TOP_CENTER);
        node.getStyleClass().add("page");
        w.runner.run(() -> w.device.balances(wallet.id()), b -> {
            balances = b.balances();
            for (Balances.Balance x : balances) {
                if (!asset.getItems().contains(x.asset())) {
                    asset.getItems().add(x.asset());
                }
            }
            showAvailable();
        }, failure -> available.setText("Balance unknown: " + Problems.explain(failure)));
    }

    private Balances.Balance balance(String symbol) {
        for (Balances.Balance b : balances) {
            if (b.asset().equals(symbol)) {
                return b;
            }
        }
        return null;
    }

    private void showAvailable() {
        Balances.Balance b = balance(asset.getValue());
        available.setText(b == null ? "" : "Available: " + WalletRow.units(b.amount(), b.decimals()) + " "
                + b.asset());
    }

    private void submit() {
        String recipient = to.take(Inputs.recipient(to.input.getText()));
        Balances.Balance b = balance(asset.getValue());
        int decimals = b == null ? 18 : b.decimals();
        BigInteger units = amount.take(Inputs.amount(amount.input.getText(), decimals, asset.getValue()));
        if (units != null && b != null && b.amount() != null && units.compareTo(new BigInteger(b.amount())) > 0) {
            amount.error("More than this wallet holds (" + WalletRow.units(b.amount(), decimals) + " " + b.asset()
                    + ")");
            units = null;
        }
        if (recipient == null || units == null) {
            return;
        }
        String symbol = asset.getValue();
        String memo = note.input.getText();
        BigInteger value = units;
        spin.setVisible(true);
        submit.setDisable(true);
        w.runner.run(() -> w.device.send(wallet.id(), symbol, recipient, value, memo),
                (TxRequestInfo r) -> w.showTransfer(r.id()), failure -> {
                    spin.setVisible(false);
                    submit.setDisable(false);
                    String msg = Problems.explain(failure);
                    if (failure instanceof BankApiException e && e.status() == 400
                            && msg.toLowerCase(java.util.Locale.ROOT).contains("amount")) {
                        amount.error(msg);
                    } else {
                        Forms.show(banner, "banner-bad", msg);
                    }
                });
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return to.input;
    }
}
