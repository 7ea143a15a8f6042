package org.mpcwallet.desktop.ui;

import java.util.List;
import java.util.Map;
import javafx.application.Application;
import javafx.stage.Stage;
import org.mpcwallet.desktop.core.DataDirectory;

/**
 * The desktop wallet as an application: {@code scripts/desktop [--server URL] [--data-dir DIR] [--scale 1.25]}. The
 * data directory is the command line's ({@code --data-dir}, else {@code $WALLET_HOME}, else {@code ~/.mpcwallet}),
 * so the window and the command line share this device's shares and session. {@code $WALLET_EXPLORER_TX_URL}
 * (optional) is the block explorer's address of a transaction, {@code {tx}} standing for its hash;
 * {@code --scale} or {@code $WALLET_UI_SCALE} the text size (1.25 for 125 %).
 */
public final class DesktopApp extends Application {
    private WalletWindow window;

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        Map<String, String> env = System.getenv();
        window = new WalletWindow(stage, DataDirectory.of(option(args, "--data-dir"), env), option(args, "--server"),
                env.get("WALLET_EXPLORER_TX_URL"));
        window.linkOpener = url -> getHostServices().showDocument(url);
        String scale = option(args, "--scale") != null ? option(args, "--scale") : env.get("WALLET_UI_SCALE");
        if (scale != null) {
            try {
                window.scale = Math.min(3, Math.max(0.75, Double.parseDouble(scale)));
            } catch (NumberFormatException e) {
                System.err.println("ignoring --scale " + scale + ": not a number (e.g. 1.25)");
            }
        }
        window.show();
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }

    static String option(List<String> args, String name) {
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals(name)) {
                return args.get(i + 1);
            }
        }
        return null;
    }

    /** The jar's entry point: a main class that is no {@link Application}, so JavaFX starts from the classpath. */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) {
            Application.launch(DesktopApp.class, args);
        }
    }
}
