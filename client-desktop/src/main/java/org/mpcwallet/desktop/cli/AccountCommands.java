package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.Passwords;
import org.mpcwallet.desktop.core.Session;
import org.mpcwallet.desktop.core.WalletException;

/** The account commands: {@code register}, {@code login}, {@code logout}, {@code whoami}. */
final class AccountCommands extends CommandContext {
    AccountCommands(CommandContext c) {
        super(c);
    }

    /** Registers and logs in with the same password. */
    void register() {
        String username = cl.arg(0);
        String server = cl.server() != null ? cl.server() : WalletCli.DEFAULT_SERVER;
        char[] pw = password(true);
        try {
            BankApi api = new BankApi(server, null, null);
            BankApi.Me me = api.register(username, pw, cl.option("--email", null));
            api.login(username, pw);
            sessions.save(new Session(api.baseUrl(), me.username(), api.tokens().accessToken(),
                    api.tokens().refreshToken()));
            print(Json.object().put("id", me.id()).put("username", me.username()).put("server", api.baseUrl()),
                    "registered " + me.username() + " (id " + me.id() + ") at " + api.baseUrl() + "; logged in");
        } finally {
            Passwords.wipe(pw);
        }
    }

    void login() {
        String username = cl.arg(0);
        Session old = sessions.load();
        String server = cl.server() != null ? cl.server() : old != null ? old.server() : WalletCli.DEFAULT_SERVER;
        char[] pw = password(false);
        try {
            BankApi api = new BankApi(server, null, null);
            BankApi.Me me = api.login(username, pw);
            sessions.save(new Session(api.baseUrl(), me.username(), api.tokens().accessToken(),
                    api.tokens().refreshToken()));
            print(Json.object().put("id", me.id()).put("username", me.username()).put("server", api.baseUrl()),
                    "logged in as " + me.username() + " at " + api.baseUrl());
        } finally {
            Passwords.wipe(pw);
        }
    }

    /**
     * Revokes the session at the bank (its refresh token family, docs/controls-hardening.md §2), then deletes the
     * session file. A bank that cannot be reached does not keep the file: it is deleted, and the output says the bank
     * was not told (the refresh token then lapses after its lifetime).
     */
    void logout() {
        Session s = sessions.load();
        boolean revoked = false;
        if (s != null) {
            try {
                new BankApi(s.server(), new BankApi.Tokens(s.accessToken(), s.refreshToken()), t -> {}).logout();
                revoked = true;
            } catch (WalletException e) {
                progress("the bank could not be told (" + e.getMessage() + "); the session file is removed anyway");
            }
        }
        boolean had = sessions.delete();
        print(Json.object().put("loggedOut", had).put("revokedAtBank", revoked), had ? "logged out (session "
                + (revoked ? "revoked at the bank, " : "") + "file removed)" : "not logged in");
    }

    void whoami() {
        BankApi api = api();
        BankApi.Me me = api.me();
        ObjectNode n = Json.object().put("id", me.id()).put("username", me.username()).put("server", api.baseUrl());
        ArrayNode roles = n.putArray("roles");
        me.roles().forEach(roles::add);
        print(n, me.username() + " (id " + me.id() + ", roles " + String.join(",", me.roles()) + ") at "
                + api.baseUrl());
    }
}
