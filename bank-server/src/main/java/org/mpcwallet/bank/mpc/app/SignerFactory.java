package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.mpcwallet.signer.SignerAssembly;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SignerGateway} bank-server talks to: the in-process signer over the PostgreSQL repositories by default
 * (built by bank-signer's one entry point, {@link SignerAssembly}), or a remote bank-signer over mutual TLS when
 * BANK_SIGNER_URL is set.
 */
@Factory
class SignerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(SignerFactory.class);
    /** The presignature ledger's furthest mark, outside the database (docs/operations.md "Restoring a backup"). */
    static final String HIGH_WATER_FILE = "signer-presign-high-water";

    @Singleton
    SignerGateway signerGateway(SignerConfig config, SignerKeys keys, DataSource dataSource,
                                org.mpcwallet.bank.config.BankConfig bank) {
        if (config.remote()) {
            return RemoteSigner.connect(config);
        }
        // the signer's tables were migrated when the database opened (Database, SignerAssembly.migrate)
        SignerGateway gateway = SignerAssembly.inProcess(dataSource, new SignerAssembly.Settings(keys.kek(),
                keys.permitPublicKey(), Path.of(bank.dataDir()).resolve(HIGH_WATER_FILE),
                Duration.ofSeconds(config.sessionTimeoutSeconds()),
                (keysetId, failure) -> LOG.error("signer: keyset {} LOCKED after {} at {}", keysetId,
                        failure.kind(), failure.step())));
        LOG.info("signer: in-process, PostgreSQL storage");
        return gateway;
    }
}
