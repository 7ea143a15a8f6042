package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.mpcwallet.signer.BankRingPedersen;
import org.mpcwallet.signer.BankSigner;
import org.mpcwallet.signer.gateway.LocalSignerGateway;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.store.FileHighWater;
import org.mpcwallet.signer.pg.PgLockRepository;
import org.mpcwallet.signer.pg.PgNonceLedger;
import org.mpcwallet.signer.pg.PgPresignatureRepository;
import org.mpcwallet.signer.pg.PgRingPedersenRepository;
import org.mpcwallet.signer.pg.PgShareRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SignerGateway} bank-server talks to: the in-process {@link BankSigner} over the PostgreSQL
 * repositories by default, or a remote bank-signer over mutual TLS when BANK_SIGNER_URL is set.
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
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        BankSigner signer = new BankSigner(keys.kek(),
                new PermitVerifier(keys.permitPublicKey(), clock, new PgNonceLedger(dataSource)),
                new PgShareRepository(dataSource), new PgPresignatureRepository(dataSource),
                new PgLockRepository(dataSource),
                (keysetId, failure) -> LOG.error("signer: keyset {} LOCKED after {} at {}", keysetId,
                        failure.kind(), failure.step()),
                random, BankRingPedersen.loadOrCreate(new PgRingPedersenRepository(dataSource), random),
                new FileHighWater(java.nio.file.Path.of(bank.dataDir()).resolve(HIGH_WATER_FILE)));
        LOG.info("signer: in-process, PostgreSQL storage");
        return new LocalSignerGateway(signer, clock, Duration.ofSeconds(config.sessionTimeoutSeconds()), random);
    }
}
