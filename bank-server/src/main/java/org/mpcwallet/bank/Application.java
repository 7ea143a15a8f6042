package org.mpcwallet.bank;

import io.micronaut.runtime.Micronaut;
import java.util.Arrays;
import org.mpcwallet.bank.auth.app.CreateAdminCommand;
import org.mpcwallet.bank.mpc.app.BackupRestoredCommand;

/**
 * Entry point of bank-server: {@code java -jar bank-server/target/bank-server-*.jar} runs the server;
 * {@code ... create-admin <username>} creates an ADMIN and exits; {@code ... backup-restored} is the operator's step
 * after restoring a database backup (docs/operations.md).
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("create-admin")) {
            System.exit(CreateAdminCommand.main(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("backup-restored")) {
            System.exit(BackupRestoredCommand.main(Arrays.copyOfRange(args, 1, args.length), System.out,
                    System.err));
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
