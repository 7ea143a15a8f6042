package org.mpcwallet.bank.db;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.data.connection.jdbc.advice.ContextualAwareDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * Keeps the injected {@link DataSource} the bank's own pool.
 *
 * <p>Micronaut Data replaces every {@code DataSource} bean by a proxy ({@link ContextualAwareDataSource}) whose
 * {@code getConnection()} hands out the connection of the current Micronaut transaction and fails with
 * {@code NoConnectionException} where there is none. Every transaction of the bank is a Micronaut one
 * ({@link TransactionRunner}); what still takes plain connections from the pool, outside any transaction, needs the
 * pool itself: the audit log's verification (its own isolation level and a streaming cursor), the health check's
 * query, the pool's gauges, the signer's PostgreSQL adapters and the migrations. This listener takes the proxy's
 * place and leaves the bean as it is. Micronaut Data's own transaction manager and repositories do not need the
 * proxy: they unwrap it and take their connections from the same pool.
 */
@Singleton
@Replaces(ContextualAwareDataSource.class)
final class PoolDataSource implements BeanCreatedEventListener<DataSource> {

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return event.getBean();
    }
}
