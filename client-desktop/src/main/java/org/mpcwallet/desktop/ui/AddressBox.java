package org.mpcwallet.desktop.ui;

import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/** Copying an address and showing it as a QR code, for any page that shows one. */
final class AddressBox {
    private AddressBox() {
    }

    /** Puts {@code address} on the clipboard; returns what to tell the user. */
    static String copy(String address) {
        try {
            ClipboardContent c = new ClipboardContent();
            c.putString(address);
            Clipboard.getSystemClipboard().setContent(c);
            return "Address copied: " + address;
        } catch (RuntimeException e) {
            return "Cannot use the clipboard here; select the address and copy it by hand";
        }
    }

    /** A small modal window with the address's QR code (ethereum:&lt;address&gt;) and the address in full. */
    static Stage showQr(Window owner, String walletName, String address) {
        ImageView img = new ImageView(QrCodes.of("ethereum:" + address, 260));
        img.setId("qrImage");
        Label text = new Label(address);
        text.getStyleClass().add("mono");
        text.setId("qrAddress");
        Label hint = Forms.hint("Scan to pay into \"" + walletName + "\". Only send Ethereum and tokens of this "
                + "network to this address.");
        hint.setMaxWidth(300);
        Button close = new Button("Close");
        close.setCancelButton(true);
        close.setDefaultButton(true);
        VBox v = new VBox(12, img, text, hint, close);
        v.setAlignment(Pos.CENTER);
        v.getStyleClass().add("page");
        Stage s = new Stage();
        s.initOwner(owner);
        s.initModality(Modality.WINDOW_MODAL);
        s.setTitle("Receive into " + walletName);
        Scene scene = new Scene(v);
        WalletWindow.styleLike(scene, owner);
        s.setScene(scene);
        close.setOnAction(e -> s.close());
        s.show();
        return s;
    }
}
