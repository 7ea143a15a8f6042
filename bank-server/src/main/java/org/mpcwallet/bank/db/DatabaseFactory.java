package org.mpcwallet.bank.db;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.mpcwallet.bank.config.BankConfig;

/** Opens the {@link Database} eagerly at startup (a bad configuration or database fails the start, not a request). */
@Factory
class DatabaseFactory {

    @Context
    @Bean(preDestroy = "close")
    Database database(BankConfig config) {
        return Database.open(config);
    }

    @Singleton
    DataSource dataSource(Database database) {
        return database.dataSource();
    }
}
