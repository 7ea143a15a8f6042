package org.mpcwallet.desktop.ui;

import java.nio.file.Path;
import java.util.Objects;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.mpcwallet.desktop.ui.model.Problems;
import org.mpcwallet.desktop.ui.model.WalletRow;
import org.mpcwallet.desktop.ui.run.DeviceWallet;
import org.mpcwallet.desktop.ui.run.Runner;

/**
 * The desktop wallet's window (docs/client-desktop.md "The window"): a top bar (the bank, the signed-in user, sign
 * out) over one page at a time — sign in, wallets, a wallet, create, send, a transfer — and the co-sign dialog. The
 * pages only build controls and react to the user; every call to the bank, protocol step or file write runs in
 * the {@link Runner}, never on the JavaFX thread.
 */
public final class WalletWindow {
    final Stage stage;
    final DeviceWallet device;
    final Runner runner;
    final String serverOverride;
    final String explorerTxUrl;
    private final BorderPane root = new BorderPane();
    private final Label who = new Label();
    private final Hyperlink signOut = new Hyperlink("Sign _out");
    private Page current;
    /** The text size relative to the default (1.25 for 125 %); set before {@link #show}. */
    double scale = 1.0;
    /** Opens a link in the user's browser (the application's host services); tests record it. */
    java.util.function.Consumer<String> linkOpener = url -> { };

    /** What a page does when it is left (stop polling, cancel work). */
    interface Page {
        Parent node();

        default void leave() {
        }

        /** The control that takes the focus when the page opens, or null. */
        default Node focus() {
            return null;
        }
    }

    /**
     * A window on {@code stage} for the device whose files are in {@code dataDir}; {@code serverOverride} (may be
     * null) is the bank's URL to offer instead of the remembered one; {@code explorerTxUrl} (may be null) a block
     * explorer's URL for a transaction, with {@code {tx}} where the hash goes.
     */
    public WalletWindow(Stage stage, Path dataDir, String serverOverride, String explorerTxUrl) {
        this.stage = Objects.requireNonNull(stage);
        this.device = new DeviceWallet(dataDir);
        this.runner = new Runner(Platform::runLater);
        this.serverOverride = serverOverride;
        this.explorerTxUrl = explorerTxUrl;
    }

    /** Shows the window; the stored session (if any) is resumed in the background. */
    public void show() {
        Label brand = new Label("MPC Wallet");
        brand.getStyleClass().add("brand");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        who.setId("who");
        signOut.setId("signOut");
        signOut.setMnemonicParsing(true);
        signOut.setOnAction(e -> signOut());
        signOut.setVisible(false);
        HBox top = new HBox(brand, grow, who, signOut);
        top.getStyleClass().add("top-bar");
        root.setTop(top);
        Scene scene = new Scene(root, 1140 * Math.max(1, scale), 720 * Math.max(1, scale));
        scene.getStylesheets().add(Objects.requireNonNull(WalletWindow.class.getResource("wallet.css"))
                .toExternalForm());
        if (scale != 1.0) {
            root.setStyle("-fx-font-size: " + (13 * scale) + "px;");
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> {
            if (current instanceof WalletsPage) {
                showCreate();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> {
            if (current instanceof Refreshable r) {
                r.refresh();
            }
        });
        stage.setScene(scene);
        stage.setTitle("MPC Wallet");
        stage.setMinWidth(760);
        stage.setMinHeight(560);
        stage.setOnCloseRequest(e -> close());
        stage.show();
        busy("Opening your session…");
        runner.run(device::resume, me -> {
            if (me == null) {
                showSignIn(null);
            } else {
                signedIn();
            }
        }, failure -> showSignIn(Problems.explain(failure)));
    }

    /** A page with a refresh (F5). */
    interface Refreshable {
        void refresh();
    }

    private void busy(String text) {
        ProgressIndicator spin = new ProgressIndicator();
        spin.setMaxSize(48, 48);
        Label l = new Label(text);
        l.setId("busy");
        VBox v = new VBox(12, spin, l);
        v.setAlignment(Pos.CENTER);
        set(() -> v);
    }

    void set(Page page) {
        if (current != null) {
            current.leave();
        }
        current = page;
        root.setCenter(page.node());
        Node f = page.focus();
        if (f != null) {
            Platform.runLater(f::requestFocus);
        }
    }

    void showSignIn(String message) {
        who.setText("");
        signOut.setVisible(false);
        set(new SignInPage(this, message));
    }

    void signedIn() {
        who.setText(device.username() + " · " + device.server());
        signOut.setVisible(true);
        showWallets();
    }

    void showWallets() {
        set(new WalletsPage(this));
    }

    void showCreate() {
        set(new CreateWalletPage(this));
    }

    void showWallet(WalletRow w) {
        set(new WalletPage(this, w));
    }

    void showSend(WalletRow w) {
        set(new SendPage(this, w));
    }

    void showTransfer(String id) {
        set(new TransferPage(this, id));
    }

    /** The block explorer's page of transaction {@code txHash}, or null when the bank configured none. */
    String explorerLink(String txHash) {
        return explorerTxUrl == null || txHash == null ? null : explorerTxUrl.replace("{tx}", txHash);
    }

    /** Gives a dialog's scene the window's look: its stylesheet and text size. */
    static void styleLike(Scene dialog, javafx.stage.Window owner) {
        dialog.getStylesheets().addAll(owner.getScene().getStylesheets());
        dialog.getRoot().setStyle(owner.getScene().getRoot().getStyle());
    }

    void openLink(String url) {
        linkOpener.accept(url);
    }

    private void signOut() {
        busy("Signing out…");
        runner.run(device::signOut, told -> showSignIn(told ? "You are signed out." : "You are signed out on this "
                + "device (the bank could not be told; its session ends by itself)."), failure ->
                showSignIn("You are signed out on this device."));
    }

    /** The window closes: work under way is cancelled (a session sends its cancel frame); nothing is lost. */
    void close() {
        if (current != null) {
            current.leave();
        }
        runner.close();
    }
}
