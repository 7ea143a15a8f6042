package org.mpcwallet.desktop.ui;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.BankApiException;
import org.mpcwallet.desktop.core.Passwords;
import org.mpcwallet.desktop.core.WalletException;
import org.mpcwallet.desktop.ui.model.Inputs;
import org.mpcwallet.desktop.ui.model.Problems;

/**
 * Connect and sign in: the bank's address (remembered), user name and password; or create an account (the
 * password twice, an optional e-mail). A bank that is down or answers garbage is said next to the address field;
 * a wrong password next to the password.
 */
final class SignInPage implements WalletWindow.Page {
    private final WalletWindow w;
    private final VBox node;
    private final Forms.Field server = new Forms.Field("_Bank server", new TextField(), "server",
            "https://wallet.your-bank.com");
    private final Forms.Field username = new Forms.Field("_User name", new TextField(), "username", "");
    private final Forms.Field password = new Forms.Field("_Password", new PasswordField(), "password", "");
    private final Forms.Field repeat = new Forms.Field("_Repeat password", new PasswordField(), "repeatPassword", "");
    private final Forms.Field email = new Forms.Field("_E-mail (optional)", new TextField(), "email", "");
    private final Label title = Forms.title("Sign in to your wallet");
    private final Label banner = Forms.banner("signInMessage");
    private final Button submit = new Button("_Sign in");
    private final Hyperlink toggle = new Hyperlink("New here? Create an account");
    private final ProgressIndicator spin = new ProgressIndicator();
    private boolean registering;

    SignInPage(WalletWindow w, String message) {
        this.w = w;
        String remembered = w.serverOverride != null ? w.serverOverride : w.device.rememberedServer();
        ((TextField) server.input).setText(remembered == null ? "http://127.0.0.1:8080" : remembered);
        submit.setId("signIn");
        submit.setDefaultButton(true);
        submit.getStyleClass().add("primary");
        submit.setOnAction(e -> submit());
        toggle.setId("toggleRegister");
        toggle.setOnAction(e -> setRegistering(!registering));
        spin.setMaxSize(22, 22);
        spin.setVisible(false);
        HBox actions = new HBox(12, submit, spin);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox card = Forms.card(title, Forms.hint("Your wallet's key is split between this computer and your bank: "
                + "neither can move funds alone."), banner, server.box, username.box, password.box, repeat.box,
                email.box, actions, toggle);
        card.setMaxWidth(460);
        node = new VBox(card);
        node.setAlignment(Pos.TOP_CENTER);
        node.getStyleClass().add("page");
        if (message != null) {
            Forms.show(banner, message.startsWith("You are signed out") ? "banner-info" : "banner-bad", message);
        }
        setRegistering(false);
    }

    private void setRegistering(boolean on) {
        registering = on;
        title.setText(on ? "Create your account" : "Sign in to your wallet");
        submit.setText(on ? "_Create account" : "_Sign in");
        toggle.setText(on ? "Already have an account? Sign in" : "New here? Create an account");
        for (Forms.Field f : new Forms.Field[] {repeat, email}) {
            f.box.setManaged(on);
            f.box.setVisible(on);
        }
    }

    @Override
    public Parent node() {
        return node;
    }

    @Override
    public Node focus() {
        return server.input.getText().isBlank() ? server.input : username.input;
    }

    private void submit() {
        String url = server.take(Inputs.serverUrl(server.input.getText()));
        String user = username.take(Inputs.username(username.input.getText()));
        char[] pw = password.input.getText().toCharArray();
        password.error(pw.length == 0 ? "Enter your password" : null);
        if (registering) {
            boolean same = password.input.getText().equals(repeat.input.getText());
            repeat.error(same ? null : "The two passwords differ");
            if (!same) {
                user = null;
            }
        }
        if (url == null || user == null || pw.length == 0) {
            Passwords.wipe(pw);
            return;
        }
        String name = user;
        String mail = email.input.getText();
        boolean reg = registering;
        busy(true);
        Forms.show(banner, null, null);
        w.runner.run(() -> {
            try {
                return reg ? w.device.register(url, name, pw, mail) : w.device.signIn(url, name, pw);
            } finally {
                Passwords.wipe(pw);
            }
        }, (BankApi.Me me) -> {
            password.input.clear();
            repeat.input.clear();
            w.signedIn();
        }, this::failed);
    }

    private void failed(Throwable t) {
        busy(false);
        String msg = Problems.explain(t);
        if (t instanceof BankApiException b && b.status() == 401) {
            password.error("The user name or password is wrong");
        } else if (t instanceof BankApiException b && b.status() == 409 && registering) {
            username.error("This user name is taken: choose another");
        } else if (t instanceof BankApiException b && b.status() == 400 && registering) {
            password.error(msg);
        } else if (t instanceof WalletException
                && (msg.startsWith("The bank at") || msg.startsWith("The bank answered"))) {
            server.error(msg);
        } else {
            Forms.show(banner, "banner-bad", msg);
        }
    }

    private void busy(boolean on) {
        spin.setVisible(on);
        submit.setDisable(on);
        toggle.setDisable(on);
        for (Forms.Field f : new Forms.Field[] {server, username, password, repeat, email}) {
            f.input.setDisable(on);
        }
    }
}
