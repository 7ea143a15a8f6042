package org.mpcwallet.bank.db;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
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

    /**
     * The pool, named {@code default}: Micronaut Data's transaction manager and {@code @JdbcRepository} repositories
     * (whose data source is {@code default} unless they name another) are made per {@code DataSource} bean and found
     * by that name. Injection without a name still gets it, the only {@code DataSource}.
     */
    @Singleton
    @Named("default")
    DataSource dataSource(Database database) {
        return database.dataSource();
    }
}
