package org.mpcwallet.desktop.ui;

import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.mpcwallet.desktop.core.Deposit;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.ui.model.DepositView;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.model.TransferTimeline;
import org.mpcwallet.desktop.ui.model.WalletRow;

/**
 * One wallet: its address (copy, QR), balances in units, key state; incoming deposits with confirmations and status
 * (held by compliance included) and outgoing transfers with their states (Enter opens one); send, back up, restore.
 */
final class WalletPage implements WalletWindow.Page, WalletWindow.Refreshable {
    private final WalletWindow w;
    private final WalletRow wallet;
    private final VBox node;
    private final Label balances = new Label();
    private final Label banner = Forms.banner("walletMessage");
    private final TableView<Deposit> deposits = new TableView<>();
    private final TableView<TxRequestInfo> transfers = new TableView<>();

    private record Loaded(List<Deposit> deposits, List<TxRequestInfo> transfers) {
    }

    WalletPage(WalletWindow w, WalletRow wallet) {
        this.w = w;
        this.wallet = wallet;
        Label address = new Label(wallet.address());
        address.getStyleClass().add("mono");
        address.setId("walletAddress");
        Button copy = new Button("_Copy address");
        copy.setOnAction(e -> Forms.show(banner, "banner-info", AddressBox.copy(wallet.address())));
        Button qr = new Button("_Receive (QR)");
        qr.setOnAction(e -> AddressBox.showQr(w.stage, wallet.name(), wallet.address()));
        balances.setId("walletBalances");
        balances.getStyleClass().add("amount");
        Label key = new Label("Key: " + wallet.key());
        if (wallet.keyProblem()) {
            key.getStyleClass().add("key-problem");
        }
        Button send = new Button("_Send…");
        send.setDisable(!wallet.active() || !wallet.shareHere());
        send.getStyleClass().add("primary");
        send.setOnAction(e -> w.showSend(wallet));
        Button backup = new Button("_Back up…");
        backup.setId("backup");
        backup.setOnAction(e -> w.set(new BackupPage(w, true)));
        Button restore = new Button("Res_tore…");
        restore.setId("restore");
        restore.setOnAction(e -> w.set(new BackupPage(w, false)));
        Button refreshKey = new Button("Re_fresh key…");
        refreshKey.setId("refreshKey");
        refreshKey.setDisable(!wallet.active() || !wallet.shareHere());
        refreshKey.setOnAction(e -> w.set(new RefreshPage(w, wallet)));
        Button back = new Button("All _wallets");
        back.setCancelButton(true);
        back.setOnAction(e -> w.showWallets());
        HBox addressLine = new HBox(10, address, copy, qr);
        addressLine.setAlignment(Pos.CENTER_LEFT);
        HBox actions = new HBox(10, send, backup, restore, refreshKey, back);

        deposits.setId("deposits");
        deposits.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        deposits.setPlaceholder(new Label("No deposits yet"));
        deposits.getColumns().add(col("Amount", 150, DepositView::amount));
        deposits.getColumns().add(col("From", 380, DepositView::from));
        deposits.getColumns().add(col("Status", 220, DepositView::status));
        deposits.getColumns().add(col("Block", 90, d -> d.blockNumber() == null ? "" : d.blockNumber().toString()));
        deposits.setPrefHeight(150);

        transfers.setId("transfers");
        transfers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        transfers.setPlaceholder(new Label("No transfers yet"));
        transfers.getColumns().add(col("Amount", 150, r -> r.tokenAddress() == null ? WalletRow.units(r.amount(), 18)
                + " ETH" : r.amount() + " " + r.asset()));
        transfers.getColumns().add(col("To", 380, TxRequestInfo::to));
        transfers.getColumns().add(col("State", 300, r -> TransferTimeline.of(r).headline()));
        transfers.getColumns().add(col("Created", 170, r -> TransferTimeline.when(r.createdAt(),
                java.time.ZoneId.systemDefault())));
        transfers.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openTransfer();
            }
        });
        transfers.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                openTransfer();
            }
        });
        VBox.setVgrow(transfers, Priority.ALWAYS);
        Label dTitle = new Label("Incoming deposits");
        dTitle.getStyleClass().add("subtitle");
        Label tTitle = new Label("Outgoing transfers (Enter opens one)");
        tTitle.getStyleClass().add("subtitle");
        node = new VBox(10, Forms.title(wallet.name() + " · " + wallet.type()), addressLine, balances, key, banner,
                actions, dTitle, deposits, tTitle, transfers);
        node.getStyleClass().add("page");
        refresh();
    }

    private static <T> TableColumn<T, String> col(String title, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }

    private void openTransfer() {
        TxRequestInfo r = transfers.getSelectionModel().getSelectedItem();
        if (r != null) {
            w.showTransfer(r.id());
        }
    }

    @Override
    public void refresh() {
        w.runner.run(() -> new Loaded(w.device.deposits(wallet.id()), w.device.transfers(wallet.id())),
                loaded -> {
                    deposits.getItems().setAll(loaded.deposits());
                    transfers.getItems().setAll(loaded.transfers());
                }, failure -> Forms.show(banner, "banner-bad", Problems.explain(failure)));
        w.runner.run(() -> WalletRow.balances(w.device.balances(wallet.id())), balances::setText,
                failure -> balances.setText("Balance unknown: " + Problems.explain(failure)));
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return transfers;
    }
}
