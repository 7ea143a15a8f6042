package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code <dataDir>/session.json} (mode 600, written atomically): server URL, username, access and refresh token. */
public final class SessionStore {
    private final Path dataDir;
    private final Path file;

    public SessionStore(Path dataDir) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve("session.json");
    }

    public Path file() {
        return file;
    }

    /** The stored session, or null when logged out. */
    public Session load() {
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode n = Json.parse(new String(SecureFiles.read(file, 64 * 1024), StandardCharsets.UTF_8),
                "the session file " + file);
        String what = "the session file " + file;
        return new Session(Json.text(n, "server", what), Json.text(n, "username", what),
                Json.text(n, "accessToken", what), Json.text(n, "refreshToken", what));
    }

    public void save(Session s) {
        SecureFiles.privateDirectory(dataDir);
        ObjectNode n = Json.object();
        n.put("server", s.server()).put("username", s.username()).put("accessToken", s.accessToken())
                .put("refreshToken", s.refreshToken());
        SecureFiles.writeAtomically(file, Json.write(n).getBytes(StandardCharsets.UTF_8));
    }

    /** Forgets the session; true if there was one. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new WalletException("cannot delete " + file + ": " + e.getMessage());
        }
    }
}
