package org.mpcwallet.desktop.ui;

import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.CosignReview;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.run.DeviceWallet;
import org.mpcwallet.desktop.ui.run.Runner;

/**
 * The co-sign dialog (what you see is what you sign): what this device decoded from the bank's sign request and
 * recomputed — recipient, amount and asset, network, fees and the maximum fee in ETH, type, nonce, hash — and
 * whether it is the transfer this user created. A match asks for the wallet secret and co-signs with a progress
 * bar (cancellable); a mismatch is a refusal with no button to sign.
 */
final class CosignDialog {
    private final WalletWindow w;
    private final DeviceWallet.CosignLook look;
    private final Stage stage = new Stage();
    private final Label verdict = new Label();
    private final SecretField secret = new SecretField(false);
    private final StepProgress progress = new StepProgress("cosign");
    private final Button sign = new Button("_Co-sign");
    private final Button notNow = new Button("Not now");
    private Runner.Job job;

    CosignDialog(WalletWindow w, DeviceWallet.CosignLook look) {
        this.w = w;
        this.look = look;
        CosignReview review = look.decision() instanceof CosignQueue.Decision.CoSign c
                ? CosignReview.matching(c.review(), look.transfer().asked())
                : CosignReview.refused(((CosignQueue.Decision.Refuse) look.decision()).reason(), look.transfer().asked());
        Label title = Forms.title(review.title());
        title.setId("cosignTitle");
        verdict.setId("cosignVerdict");
        verdict.setWrapText(true);
        verdict.setMaxWidth(Double.MAX_VALUE);
        verdict.setText(review.verdict());
        verdict.getStyleClass().add(review.mayCoSign() ? "banner-ok" : "banner-bad");
        GridPane rows = new GridPane();
        rows.setId("cosignRows");
        rows.setHgap(14);
        rows.setVgap(6);
        int i = 0;
        for (CosignReview.Row r : review.rows()) {
            Label l = new Label(r.label());
            l.getStyleClass().add("review-label");
            Label v = new Label(r.value());
            v.setWrapText(true);
            v.setMaxWidth(520);
            v.setId("review-" + r.label().toLowerCase(Locale.ROOT).replace(' ', '-'));
            if (r.emphasis()) {
                v.getStyleClass().add("review-value-strong");
            }
            if (r.value().startsWith("0x")) {
                v.getStyleClass().add("mono");
            }
            rows.addRow(i++, l, v);
        }
        VBox box = new VBox(12, title, verdict, rows);
        sign.setId("cosign");
        notNow.setId("notNow");
        notNow.setCancelButton(true);
        notNow.setOnAction(e -> notNow());
        if (review.mayCoSign()) {
            sign.setDefaultButton(true);
            sign.getStyleClass().add("primary");
            sign.setOnAction(e -> cosign());
            HBox actions = new HBox(10, sign, notNow);
            box.getChildren().addAll(secret.box, progress.box, actions);
        } else {
            notNow.setText("Close");
            notNow.setDefaultButton(true);
            box.getChildren().add(new HBox(10, notNow));
        }
        box.getStyleClass().add("page");
        box.setPrefWidth(700);
        stage.initOwner(w.stage);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.setTitle(review.mayCoSign() ? "Co-sign this transfer?" : "Refused");
        Scene scene = new Scene(box);
        WalletWindow.styleLike(scene, w.stage);
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> {
            if (job != null) {
                job.cancel();
            }
        });
        box.setAlignment(Pos.TOP_LEFT);
    }

    void show() {
        stage.show();
        (sign.isDefaultButton() ? secret.secret.input : notNow).requestFocus();
    }

    boolean isShowing() {
        return stage.isShowing();
    }

    void close() {
        if (job != null) {
            job.cancel();
        }
        stage.close();
    }

    private void notNow() {
        if (job != null) {
            job.cancel();
            job = null;
            running(false);
            verdict.setText("Cancelled: nothing was signed. You can co-sign again from the transfer's page.");
            return;
        }
        stage.close();
    }

    private void cosign() {
        DeviceWallet.Secret s = secret.take();
        if (s == null) {
            return;
        }
        CosignQueue.Decision.CoSign c = (CosignQueue.Decision.CoSign) look.decision();
        running(true);
        progress.show(new DeviceSession.Progress(0, 4, "Opening your key share"));
        job = w.runner.run(() -> w.device.cosign(look.transfer(), look.signRequest(), c.tx(), s,
                p -> w.runner.onUi(() -> progress.show(p))), this::signed, this::failed);
    }

    private void signed(SignDriver.Result r) {
        job = null;
        progress.finished();
        verdict.getStyleClass().setAll("label", "banner-ok");
        verdict.setText("Co-signed: the signature is verified under your wallet's key. The bank now sends the "
                + "transaction " + r.txHash() + " to the network.");
        sign.setVisible(false);
        sign.setManaged(false);
        secret.box.setVisible(false);
        secret.box.setManaged(false);
        notNow.setText("Close");
        notNow.setDefaultButton(true);
        notNow.requestFocus();
    }

    private void failed(Throwable t) {
        job = null;
        running(false);
        if (!secret.showIfAbout(t, " Nothing was signed.")) {
            verdict.getStyleClass().setAll("label", "banner-bad");
            verdict.setText(Problems.explain(t));
        }
    }

    private void running(boolean on) {
        sign.setDisable(on);
        secret.disable(on);
        progress.running(on);
        notNow.setText(on ? "Cancel" : "Not now");
    }
}
