package org.mpcwallet.bank.auth.app;

import io.micronaut.context.ApplicationContext;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.mpcwallet.bank.auth.domain.User;

/**
 * {@code java -jar bank-server.jar create-admin <username>}: creates a user with role ADMIN in the configured database
 * (same environment as the server: BANK_DATA_DIR, DATABASE_URL, ...), without starting the HTTP server. The password
 * comes from BANK_ADMIN_PASSWORD or, when unset, from the console (not echoed) or the first line of stdin.
 */
public final class CreateAdminCommand {
    public static final String ACTOR = "cli:create-admin";

    private CreateAdminCommand() {
    }

    /** Exit codes: 0 created, 1 refused (bad name, weak password, name taken), 2 usage. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: create-admin <username>   (password from BANK_ADMIN_PASSWORD or stdin)");
            return 2;
        }
        String password = System.getenv("BANK_ADMIN_PASSWORD");
        if (password == null || password.isEmpty()) {
            password = readPassword(err);
        }
        if (password == null) {
            err.println("create-admin: no password given (BANK_ADMIN_PASSWORD or stdin)");
            return 2;
        }
        try (ApplicationContext ctx = ApplicationContext.builder().args(new String[0]).start()) {
            return run(ctx, args[0], password, out, err);
        }
    }

    /** The command's logic on a running context (tests call this directly). */
    public static int run(ApplicationContext ctx, String username, String password, PrintStream out, PrintStream err) {
        try {
            User u = ctx.getBean(Registrations.class).createAdmin(username, password, ACTOR);
            out.println("create-admin: created ADMIN " + u.username() + " (id " + u.id() + ")");
            return 0;
        } catch (AuthException e) {
            err.println("create-admin: " + e.getMessage());
            return 1;
        }
    }

    private static String readPassword(PrintStream err) {
        Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("Password for the new admin: ");
            return pw == null ? null : new String(pw);
        }
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            err.println("create-admin: cannot read stdin");
            return null;
        }
    }
}
