package org.mpcwallet.bank.metrics.app;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.mpcwallet.bank.metrics.persistence.MetricsQueries;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;
import org.mpcwallet.bank.pipeline.transfer.domain.TxStatus;
import org.mpcwallet.bank.sched.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool's use ({@code db_pool_connections{state}}, {@code db_pool_max_connections}), and gauges read
 * from the database every {@code bank.metrics.gauge-refresh-seconds} (default 15): transfers per state
 * ({@code pipeline_requests{state}}), how long the longest-waiting transfer of each unfinished state has been in
 * it ({@code pipeline_state_oldest_seconds{state}}), transfers due for the worker ({@code pipeline_due_requests}), and
 * the chain
 * listener's lag behind the node's head in blocks ({@code chain_listener_lag_blocks}; -1 before its first round or
 * without a node).
 */
@Context
public class BankGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BankGauges.class);

    private final MetricsQueries queries;
    private final Map<TxStatus, AtomicLong> perState = new EnumMap<>(TxStatus.class);
    private final AtomicLong due = new AtomicLong();
    /** Seconds the longest-waiting transfer of each state has been in it (0: none waits there). */
    private final Map<TxStatus, java.util.concurrent.atomic.AtomicReference<Double>> oldest =
            new EnumMap<>(TxStatus.class);
    private final Periodic refresher;

    public BankGauges(MeterRegistry registry, MetricsQueries queries, ChainListener listener,
                      javax.sql.DataSource dataSource,
                      @Value("${bank.metrics.gauge-refresh-seconds:15}") int refreshSeconds) {
        this.queries = queries;
        pool(registry, dataSource);
        for (TxStatus s : TxStatus.values()) {
            AtomicLong v = new AtomicLong();
            perState.put(s, v);
            Gauge.builder("pipeline.requests", v, AtomicLong::get).description("transfers per state")
                    .tag("state", s.name()).register(registry);
            if (!s.terminal()) {
                java.util.concurrent.atomic.AtomicReference<Double> age =
                        new java.util.concurrent.atomic.AtomicReference<>(0.0);
                oldest.put(s, age);
                Gauge.builder("pipeline.state.oldest.seconds", age, java.util.concurrent.atomic.AtomicReference::get)
                        .description("how long the longest-waiting transfer in this state has been in it")
                        .tag("state", s.name()).register(registry);
            }
        }
        Gauge.builder("pipeline.due.requests", due, AtomicLong::get)
                .description("unfinished transfers due for the pipeline worker now").register(registry);
        Gauge.builder("chain.listener.lag.blocks", listener, ChainListener::lagBlocks)
                .description("blocks between the node's head and the chain listener's cursor").register(registry);
        refresh();
        this.refresher = Periodic.every("metrics-gauges", Math.max(1, refreshSeconds) * 1000L, this::refresh);
    }

    /** The connection pool's use: connections active, idle, waited for, in all, and its maximum. */
    private static void pool(MeterRegistry registry, javax.sql.DataSource dataSource) {
        HikariDataSource hikari;
        try {
            hikari = dataSource.unwrap(HikariDataSource.class);
        } catch (java.sql.SQLException e) {
            return;
        }
        poolGauge(registry, hikari, "active", HikariPoolMXBean::getActiveConnections);
        poolGauge(registry, hikari, "idle", HikariPoolMXBean::getIdleConnections);
        poolGauge(registry, hikari, "pending", HikariPoolMXBean::getThreadsAwaitingConnection);
        poolGauge(registry, hikari, "total", HikariPoolMXBean::getTotalConnections);
        Gauge.builder("db.pool.max.connections", hikari, h -> h.getMaximumPoolSize())
                .description("the pool's maximum size").register(registry);
    }

    private static void poolGauge(MeterRegistry registry, HikariDataSource hikari, String state,
                                  ToDoubleFunction<HikariPoolMXBean> read) {
        Gauge.builder("db.pool.connections", hikari, h -> h.getHikariPoolMXBean() == null ? Double.NaN
                : read.applyAsDouble(h.getHikariPoolMXBean())).tag("state", state)
                .description("the database connection pool's connections").register(registry);
    }

    void refresh() {
        try {
            MetricsQueries.PipelineCounts c = queries.pipeline();
            for (Map.Entry<TxStatus, AtomicLong> e : perState.entrySet()) {
                e.getValue().set(c.perState().getOrDefault(e.getKey().name(), 0L));
            }
            due.set(c.due());
            for (var e : oldest.entrySet()) {
                e.getValue().set(c.oldestSeconds().getOrDefault(e.getKey().name(), 0.0));
            }
        } catch (Exception e) {
            LOG.debug("metrics: reading the pipeline's counts failed ({})", e.getClass().getSimpleName());
        }
    }

    @Override
    @PreDestroy
    public void close() {
        refresher.close();
    }
}
