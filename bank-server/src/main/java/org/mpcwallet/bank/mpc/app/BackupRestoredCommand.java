package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import javax.sql.DataSource;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.signer.SignerAssembly;

/**
 * {@code java -jar bank-server.jar backup-restored}: the operator's step after restoring a database backup
 * (docs/operations.md "Restoring a database backup"), run before any bank-server or bank-signer instance starts on
 * the restored database. It deletes every stored presignature (some may have been used after the backup was taken)
 * and bumps the restore epoch, so nothing stored before can be taken again. Same environment as the server.
 */
public final class BackupRestoredCommand {
    public static final String ACTOR = "cli:backup-restored";

    private BackupRestoredCommand() {
    }

    /** Exit codes: 0 done, 1 failed, 2 usage. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 0) {
            err.println("usage: backup-restored   (no arguments; run it once after restoring a database backup)");
            return 2;
        }
        try (ApplicationContext ctx = ApplicationContext.builder().args(new String[0]).start()) {
            return run(ctx, out, err);
        }
    }

    /** The command's logic on a running context (tests call this directly). */
    public static int run(ApplicationContext ctx, PrintStream out, PrintStream err) {
        try {
            long restoreEpoch = SignerAssembly.backupRestored(ctx.getBean(DataSource.class));
            ctx.getBean(AuditLog.class).append(ACTOR, "BACKUP_RESTORED", "{\"restoreEpoch\":" + restoreEpoch + "}");
            out.println("backup-restored: every stored presignature was dropped; restore epoch is now "
                    + restoreEpoch);
            return 0;
        } catch (SignerAssembly.StorageFailure e) {
            err.println("backup-restored: " + e.getMessage());
            return 1;
        }
    }
}
