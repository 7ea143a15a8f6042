package org.mpcwallet.bank;

import io.micronaut.runtime.Micronaut;

/** Entry point of bank-server: {@code java -jar bank-server/target/bank-server-*.jar} (see docs/bank-server.md). */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
