package org.mpcwallet.desktop.core;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where this device keeps its files (shares, marks, session, proof parameters), for the command line and the window
 * alike: the {@code --data-dir} option, else {@code $WALLET_HOME}, else {@code ~/.mpcwallet}.
 */
public final class DataDirectory {
    private DataDirectory() {
    }

    public static Path of(String option, Map<String, String> env) {
        if (option != null) {
            return Path.of(option).toAbsolutePath();
        }
        String home = env.get("WALLET_HOME");
        if (home != null && !home.isEmpty()) {
            return Path.of(home).toAbsolutePath();
        }
        String user = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(user, ".mpcwallet").toAbsolutePath();
    }
}
