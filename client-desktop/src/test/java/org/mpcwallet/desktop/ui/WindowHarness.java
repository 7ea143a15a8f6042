package org.mpcwallet.desktop.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real desktop wallet window for a test, on JavaFX's built-in headless platform (no X server; the surefire
 * configuration sets {@code glass.platform=Headless}, {@code prism.order=sw}), driven by TestFX's robot, with
 * screenshots of its key screens under {@code target/screenshots/}.
 */
final class WindowHarness implements AutoCloseable {
    static final Path SHOTS = Path.of("target", "screenshots");
    final FxRobot robot = new FxRobot();
    final WalletWindow window;
    final Stage stage;
    /** The links the window asked the browser to open, one per line. */
    final StringBuffer openedLinks;

    private WindowHarness(WalletWindow window, Stage stage, StringBuffer openedLinks) {
        this.window = window;
        this.stage = stage;
        this.openedLinks = openedLinks;
    }

    /** Opens a window for the device in {@code dataDir}, offering {@code server}. */
    static WindowHarness open(Path dataDir, String server, String explorerTxUrl) throws Exception {
        return open(dataDir, server, explorerTxUrl, 1.0);
    }

    /** The same at text size {@code scale} (1.25 for 125 %). */
    static WindowHarness open(Path dataDir, String server, String explorerTxUrl, double scale) throws Exception {
        if (System.getProperty("glass.platform") == null) {
            System.setProperty("glass.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        FxToolkit.registerPrimaryStage();
        StringBuffer links = new StringBuffer();
        WalletWindow[] w = new WalletWindow[1];
        Stage[] s = new Stage[1];
        WaitForAsyncUtils.asyncFx(() -> {
            s[0] = new Stage();
            w[0] = new WalletWindow(s[0], dataDir, server, explorerTxUrl);
            w[0].linkOpener = url -> links.append(url).append('\n');
            w[0].scale = scale;
            w[0].show();
        }).get(30, TimeUnit.SECONDS);
        return new WindowHarness(w[0], s[0], links);
    }

    /** Waits (up to {@code seconds}) until {@code condition}, read on the FX thread, holds; else fails with what. */
    void waitFor(int seconds, String what, BooleanSupplier condition, Supplier<String> state) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onFx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; the window shows: "
                    + onFx(state::get));
        }
    }

    void waitFor(int seconds, String what, BooleanSupplier condition) {
        waitFor(seconds, what, condition, this::visibleText);
    }

    /** Waits until node {@code query} exists and is visible. */
    <T extends Node> T await(int seconds, String query) {
        waitFor(seconds, query + " to be shown", () -> {
            Node n = find(query);
            return n != null && n.isVisible() && n.getScene() != null;
        });
        return onFx(() -> robot.lookup(query).query());
    }

    /** The node {@code query} finds in the showing windows, or null. */
    Node find(String query) {
        return robot.lookup(query).tryQuery().orElse(null);
    }

    static <T> T onFx(java.util.concurrent.Callable<T> c) {
        try {
            if (javafx.application.Platform.isFxApplicationThread()) {
                return c.call();
            }
            return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void fx(Runnable r) {
        onFx(() -> {
            r.run();
            return null;
        });
    }

    String text(String query) {
        return onFx(() -> {
            Node n = find(query);
            if (n instanceof Labeled l) {
                return l.getText();
            }
            if (n instanceof TextInputControl t) {
                return t.getText();
            }
            return n == null ? null : n.toString();
        });
    }

    boolean shown(String query) {
        return onFx(() -> {
            Node n = find(query);
            return n != null && n.isVisible() && n.getScene() != null && n.getScene().getWindow() != null
                    && n.getScene().getWindow().isShowing();
        });
    }

    /** Types {@code text} into the field {@code query} with the keyboard (the robot), after clearing it. */
    void type(String query, String text) {
        robot.clickOn(query);
        fx(() -> ((TextInputControl) robot.lookup(query).query()).clear());
        robot.write(text);
    }

    /** Every visible label's text in the focused windows, for failure messages. */
    String visibleText() {
        StringBuilder b = new StringBuilder();
        for (Window win : Window.getWindows()) {
            if (win.isShowing() && win.getScene() != null) {
                for (Node n : win.getScene().getRoot().lookupAll(".label")) {
                    if (n.isVisible() && n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
                        b.append(l.getText().replace('\n', ' ')).append(" | ");
                    }
                }
            }
        }
        return b.toString();
    }

    /** Saves the window {@code w}'s content as {@code target/screenshots/<name>.png}. */
    static Path shot(Window w, String name) {
        WritableImage img = onFx(() -> w.getScene().snapshot(null));
        int width = (int) img.getWidth();
        int height = (int) img.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = img.getPixelReader();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        try {
            Files.createDirectories(SHOTS);
            Path f = SHOTS.resolve(name + ".png");
            ImageIO.write(out, "png", f.toFile());
            return f;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        }
    }

    Path shot(String name) {
        return shot(stage, name);
    }

    /** The topmost other showing window (a dialog), or null. */
    Window dialog() {
        return onFx(() -> {
            Window found = null;
            for (Window win : Window.getWindows()) {
                if (win != stage && win.isShowing() && win instanceof Stage st && st.getOwner() == stage) {
                    found = win;
                }
            }
            return found;
        });
    }

    @Override
    public void close() {
        fx(() -> {
            window.close();
            stage.close();
        });
    }
}
