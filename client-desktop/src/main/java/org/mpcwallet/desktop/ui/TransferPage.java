package org.mpcwallet.desktop.ui;

import java.util.HashSet;
import java.util.Set;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.model.TransferTimeline;
import org.mpcwallet.desktop.ui.model.WalletRow;
import org.mpcwallet.desktop.ui.run.DeviceWallet;
import org.mpcwallet.desktop.ui.run.Runner;

/**
 * One transfer, followed live (once a second, in the background) through screening, policies, approvals (who, how
 * many still needed), the co-signature, broadcast, confirmations and final, with the bank's reason when it stops.
 * When the bank asks this device to co-sign, the device checks the sign request itself (the shared co-sign queue)
 * and opens the co-sign dialog: a matching request to review and sign, or a refusal that cannot be overridden.
 */
final class TransferPage implements WalletWindow.Page {
    private static final long POLL_MS = 1000;
    private final WalletWindow w;
    private final String id;
    private final VBox node;
    private final Label headline = Forms.title("Transfer");
    private final Label summary = new Label();
    private final GridPane stages = new GridPane();
    private final Label banner = Forms.banner("transferMessage");
    private final Button review = new Button("_Review and co-sign");
    private final HBox links = new HBox(12);
    private final Set<String> dialogShownFor = new HashSet<>();
    private DeviceWallet.CosignLook last;
    private Runner.Job poll;
    private CosignDialog dialog;
    private volatile boolean left;

    TransferPage(WalletWindow w, String id) {
        this.w = w;
        this.id = id;
        headline.setId("transferHeadline");
        summary.setId("transferSummary");
        summary.setWrapText(true);
        stages.setId("stages");
        stages.setHgap(16);
        stages.setVgap(8);
        javafx.scene.layout.ColumnConstraints mark = new javafx.scene.layout.ColumnConstraints();
        javafx.scene.layout.ColumnConstraints name = new javafx.scene.layout.ColumnConstraints();
        name.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints detail = new javafx.scene.layout.ColumnConstraints();
        detail.setHgrow(javafx.scene.layout.Priority.ALWAYS);
        stages.getColumnConstraints().addAll(mark, name, detail);
        review.setId("reviewCosign");
        review.getStyleClass().add("primary");
        review.setVisible(false);
        review.setManaged(false);
        review.setOnAction(e -> openDialog());
        Button back = new Button("Back to _wallets");
        back.setId("backToWallets");
        back.setCancelButton(true);
        back.setOnAction(e -> w.showWallets());
        HBox actions = new HBox(10, review, back);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox card = Forms.card(headline, summary, banner, stages, links, actions);
        card.setMaxWidth(760);
        node = new VBox(card);
        node.setAlignment(Pos.TOP_CENTER);
        node.getStyleClass().add("page");
        headline.setText("Loading transfer " + id + "…");
        CosignQueue queue = new CosignQueue(id, 86_400, CosignCheck.FeeCeiling.NONE);
        poll = w.runner.run(() -> {
            while (!left) {
                try {
                    DeviceWallet.CosignLook look = w.device.look(queue, id);
                    w.runner.onUi(() -> show(look));
                    if (TransferTimeline.of(look.transfer()).over()) {
                        return null;
                    }
                } catch (RuntimeException e) {
                    w.runner.onUi(() -> Forms.show(banner, "banner-bad", Problems.explain(e) + " Retrying…"));
                }
                Thread.sleep(POLL_MS);
            }
            return null;
        }, x -> { }, failure -> Forms.show(banner, "banner-bad", Problems.explain(failure)));
    }

    private void show(DeviceWallet.CosignLook look) {
        if (left) {
            return;
        }
        last = look;
        TxRequestInfo r = look.transfer();
        TransferTimeline.View v = TransferTimeline.of(r);
        headline.setText(v.headline());
        String amount = r.tokenAddress() == null && r.amount() != null ? WalletRow.units(r.amount(), 18) + " ETH"
                : r.amount() + " base units of " + r.asset();
        summary.setText(amount + " to " + r.to() + (r.note() == null ? "" : " — \"" + r.note() + "\"")
                + "\nTransfer " + r.id() + ", created " + TransferTimeline.when(r.createdAt(),
                java.time.ZoneId.systemDefault()));
        // the headline says how it ended; the banner is for what stopped it (and for a bank that does not answer)
        Forms.show(banner, "banner-bad", v.over() && !v.succeeded() ? v.headline() : null);
        stages.getChildren().clear();
        int row = 0;
        for (TransferTimeline.Stage s : v.stages()) {
            Label mark = new Label(switch (s.state()) {
                case DONE -> "✔";
                case ACTIVE -> "●";
                case FAILED -> "✖";
                case SKIPPED -> "–";
                default -> "○";
            });
            mark.getStyleClass().add("stage-" + s.state());
            Label name = new Label(s.name());
            name.getStyleClass().add("stage-" + s.state());
            name.setId("stage-" + row);
            Label detail = new Label(s.detail());
            detail.setWrapText(true);
            detail.setId("stageDetail-" + row);
            stages.addRow(row++, mark, name, detail);
        }
        links.getChildren().clear();
        if (r.txHash() != null) {
            String link = w.explorerLink(r.txHash());
            if (link != null) {
                Hyperlink h = new Hyperlink("View the transaction in the block explorer");
                h.setId("explorerLink");
                h.setOnAction(e -> w.openLink(link));
                links.getChildren().add(h);
            }
        }
        CosignQueue.Decision d = look.decision();
        boolean mayReview = d instanceof CosignQueue.Decision.CoSign || d instanceof CosignQueue.Decision.Refuse;
        review.setVisible(mayReview);
        review.setManaged(mayReview);
        if (mayReview && look.signRequest() != null && dialogShownFor.add(look.signRequest().id())) {
            openDialog();
        }
    }

    private void openDialog() {
        if (last == null || (dialog != null && dialog.isShowing())) {
            return;
        }
        dialog = new CosignDialog(w, last);
        dialog.show();
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return review;
    }

    @Override
    public void leave() {
        left = true;
        if (poll != null) {
            poll.cancel();
        }
        if (dialog != null) {
            dialog.close();
        }
    }
}
