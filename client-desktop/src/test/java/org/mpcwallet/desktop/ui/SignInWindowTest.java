package org.mpcwallet.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in page against banks that fail: a bank that is down, and a server that answers garbage, each said in one
 * sentence next to the address field (no stack trace); a malformed address refused as typed; everything from the
 * keyboard.
 */
class SignInWindowTest {
    @TempDir
    Path home;

    @Test
    void aBankThatIsDownOrAnswersGarbageIsExplainedNextToTheAddress() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpServer garbage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        garbage.createContext("/", ex -> {
            byte[] body = "<html>not a bank</html>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        garbage.start();
        try (WindowHarness h = WindowHarness.open(home, "http://127.0.0.1:" + closedPort, null)) {
            h.await(20, "#username");
            h.type("#username", "alice");
            h.type("#password", "not-the-point-here");
            h.robot.type(KeyCode.ENTER);
            h.await(20, "#serverError");
            String down = h.text("#serverError");
            assertTrue(down.startsWith("The bank at http://127.0.0.1:" + closedPort + " did not answer"), down);
            assertFalse(down.contains("Exception") || down.contains("\tat "), "no stack trace: " + down);
            h.shot("signin-bank-down");

            h.type("#server", "http://127.0.0.1:" + garbage.getAddress().getPort());
            h.robot.clickOn("#signIn");
            h.waitFor(20, "the garbage answer explained", () -> h.text("#serverError").startsWith("The bank answered "
                    + "something this wallet cannot read"));
            h.shot("signin-bank-garbage");

            h.type("#server", "ftp://bank");
            h.robot.clickOn("#signIn");
            h.waitFor(5, "the scheme refused", () -> h.text("#serverError").contains("https://"));
            assertEquals("", h.text("#passwordError"), "only the address is wrong");
        } finally {
            garbage.stop(0);
        }
    }

    /** At 125 % the sign-in page still shows every field and its button inside the window (screenshot to look at). */
    @Test
    void atOneHundredTwentyFivePercentEverythingIsInsideTheWindow() throws Exception {
        try (WindowHarness h = WindowHarness.open(home, "http://127.0.0.1:1", null, 1.25)) {
            h.await(20, "#toggleRegister");
            h.robot.clickOn("#toggleRegister");
            h.type("#username", "al");
            h.robot.clickOn("#signIn");
            h.waitFor(10, "the user name refused", () -> h.text("#usernameError").startsWith("A user name has"));
            h.shot("signin-register-125");
            for (String id : List.of("#server", "#username", "#password", "#repeatPassword", "#email", "#signIn",
                    "#usernameError")) {
                boolean inside = WindowHarness.onFx(() -> {
                    javafx.scene.Node n = h.robot.lookup(id).query();
                    javafx.geometry.Bounds b = n.localToScene(n.getBoundsInLocal());
                    return b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= n.getScene().getWidth()
                            && b.getMaxY() <= n.getScene().getHeight();
                });
                assertTrue(inside, id + " is inside the window at 125 %");
            }
            double size = WindowHarness.onFx(() -> ((javafx.scene.control.Labeled) h.robot.lookup("#signIn").query())
                    .getFont().getSize());
            assertEquals(13 * 1.25, size, 0.01, "text at 125 %");
        }
    }
}
