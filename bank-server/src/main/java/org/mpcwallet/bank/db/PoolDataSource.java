package org.mpcwallet.bank.db;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.data.connection.jdbc.advice.ContextualAwareDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * Keeps the injected {@link DataSource} the bank's own pool while persistence moves to Micronaut Data JDBC
 * (docs/redesign.md "Micronaut Data JDBC").
 *
 * <p>Micronaut Data replaces every {@code DataSource} bean by a proxy ({@link ContextualAwareDataSource}) whose
 * {@code getConnection()} hands out the connection of the current Micronaut transaction and fails with
 * {@code NoConnectionException} where there is none. Most of the bank still takes a connection from the pool and
 * commits it itself ({@link Transactions#inTransaction(DataSource, Transactions.Work, java.util.function.Function)}),
 * outside any Micronaut transaction, so the proxy would break it (measured: the bank did not start). This listener
 * takes the proxy's place and leaves the bean as it is. Micronaut Data's own transaction manager and repositories do
 * not need the proxy: they unwrap it and take their connections from the same pool.
 *
 * <p>Remove this class when no code calls {@code dataSource.getConnection()} any more.
 */
@Singleton
@Replaces(ContextualAwareDataSource.class)
final class PoolDataSource implements BeanCreatedEventListener<DataSource> {

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return event.getBean();
    }
}
