package org.mpcwallet.desktop.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.model.WalletRow;

/**
 * The wallets table: name, type, status, address, balances in units, the key's state; copy the address, show its QR
 * code, open a wallet (Enter or double-click), send, create (Ctrl+N), refresh (F5). Transfers waiting for this
 * device's co-signature are announced on top, with a link to review them.
 */
final class WalletsPage implements WalletWindow.Page, WalletWindow.Refreshable {
    private final WalletWindow w;
    private final VBox node;
    private final TableView<WalletRow> table = new TableView<>();
    private final Label banner = Forms.banner("walletsMessage");
    private final VBox waiting = new VBox(6);
    private final ProgressIndicator spin = new ProgressIndicator();
    private final Button send = new Button("_Send…");
    private final Button open = new Button("_Open");
    private final Button copy = new Button("_Copy address");
    private final Button qr = new Button("_Receive (QR)");

    WalletsPage(WalletWindow w) {
        this.w = w;
        table.setId("wallets");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No wallets yet: create your first one with \"New wallet\" (Ctrl+N)."));
        table.getColumns().add(column("Name", 170, WalletRow::name));
        table.getColumns().add(column("Type", 90, WalletRow::type));
        table.getColumns().add(column("Status", 110, WalletRow::status));
        TableColumn<WalletRow, String> balances = column("Balance", 150, WalletRow::balances);
        balances.setStyle("-fx-alignment: center-right;");
        table.getColumns().add(balances);
        TableColumn<WalletRow, String> address = column("Address", 375, WalletRow::address);
        address.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                getStyleClass().add("mono");
            }
        });
        table.getColumns().add(address);
        TableColumn<WalletRow, String> key = column("Key", 180, WalletRow::key);
        key.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                WalletRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                getStyleClass().remove("key-problem");
                if (row != null && row.keyProblem()) {
                    getStyleClass().add("key-problem");
                }
            }
        });
        table.getColumns().add(key);
        table.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                openSelected();
            }
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelected();
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);

        Button create = new Button("_New wallet");
        create.setId("newWallet");
        create.getStyleClass().add("primary");
        create.setOnAction(e -> w.showCreate());
        send.setId("send");
        send.setOnAction(e -> selected(r -> w.showSend(r)));
        open.setId("openWallet");
        open.setOnAction(e -> openSelected());
        copy.setId("copyAddress");
        copy.setOnAction(e -> selected(r -> Forms.show(banner, "banner-info", AddressBox.copy(r.address()))));
        qr.setId("showQr");
        qr.setOnAction(e -> selected(r -> AddressBox.showQr(w.stage, r.name(), r.address())));
        Button refresh = new Button("Refresh (F5)");
        refresh.setId("refresh");
        refresh.setOnAction(e -> refresh());
        spin.setMaxSize(22, 22);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox actions = new HBox(8, create, send, open, copy, qr, grow, spin, refresh);
        actions.setAlignment(Pos.CENTER_LEFT);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> enable(b));
        enable(null);
        node = new VBox(12, Forms.title("Your wallets"), banner, waiting, actions, table);
        node.getStyleClass().add("page");
        refresh();
    }

    private static TableColumn<WalletRow, String> column(String title, double width,
            java.util.function.Function<WalletRow, String> value) {
        TableColumn<WalletRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        return c;
    }

    private void enable(WalletRow r) {
        boolean hasAddress = r != null && !r.address().isEmpty();
        send.setDisable(r == null || !r.active() || !r.shareHere());
        open.setDisable(r == null);
        copy.setDisable(!hasAddress);
        qr.setDisable(!hasAddress);
    }

    private void selected(java.util.function.Consumer<WalletRow> action) {
        WalletRow r = table.getSelectionModel().getSelectedItem();
        if (r != null) {
            action.accept(r);
        }
    }

    private void openSelected() {
        selected(w::showWallet);
    }

    @Override
    public void refresh() {
        spin.setVisible(true);
        String keep = table.getSelectionModel().getSelectedItem() == null ? null
                : table.getSelectionModel().getSelectedItem().id();
        w.runner.run(() -> {
            List<WalletRow> rows = w.device.wallets();
            return new Loaded(rows, waitingTransfers(rows));
        }, loaded -> {
            spin.setVisible(false);
            table.getItems().setAll(loaded.rows());
            for (WalletRow r : loaded.rows()) {
                if (r.id().equals(keep)) {
                    table.getSelectionModel().select(r);
                }
            }
            if (table.getSelectionModel().isEmpty() && !loaded.rows().isEmpty()) {
                table.getSelectionModel().select(0);
            }
            showWaiting(loaded.waiting());
            List<String> notices = w.device.drainNotices();
            if (!notices.isEmpty()) {
                Forms.show(banner, "banner-info", String.join("\n", notices));
            }
        }, failure -> {
            spin.setVisible(false);
            Forms.show(banner, "banner-bad", Problems.explain(failure));
        });
    }

    private record Loaded(List<WalletRow> rows, List<TxRequestInfo> waiting) {
    }

    /** The user's transfers that wait for this device's co-signature (on opening, docs/client-desktop.md). */
    private List<TxRequestInfo> waitingTransfers(List<WalletRow> rows) {
        List<TxRequestInfo> out = new ArrayList<>();
        for (WalletRow r : rows) {
            if (r.shareHere() && r.active()) {
                for (TxRequestInfo t : w.device.transfers(r.id())) {
                    if ("SIGN_PENDING".equals(t.status())) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    private void showWaiting(List<TxRequestInfo> list) {
        waiting.getChildren().clear();
        for (TxRequestInfo t : list) {
            Hyperlink review = new Hyperlink("Review and co-sign");
            review.setId("review-" + t.id());
            review.setOnAction(e -> w.showTransfer(t.id()));
            Label l = new Label("Transfer " + t.id() + " waits for your co-signature.");
            HBox line = new HBox(8, l, review);
            line.setAlignment(Pos.CENTER_LEFT);
            line.getStyleClass().add("banner-info");
            waiting.getChildren().add(line);
        }
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return table;
    }
}
