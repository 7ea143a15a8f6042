package org.mpcwallet.bank.metrics.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The counts the gauges show (docs/integration.md "Metrics"), on Micronaut Data JDBC: one short statement each,
 * outside any transaction (each on a pooled connection of its own, committing by itself).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class MetricsQueries implements GenericRepository<TxStatusRow, UUID> {
    /** Transfers per state, and how many of the unfinished ones are due for the worker now. */
    public record PipelineCounts(Map<String, Long> perState, long due, Map<String, Double> oldestSeconds) {
    }

    /** KYT cases waiting for a decision and key incidents not resolved, for the console's overview. */
    @Introspected
    public record Attention(long openCases, long openIncidents) {
    }

    /** How many transfers are in {@code status}. */
    @Introspected
    public record StateCount(String status, long count) {
    }

    /** How long the longest-waiting transfer of {@code status} has been in it. */
    @Introspected
    public record StateAge(String status, double seconds) {
    }

    public PipelineCounts pipeline() {
        Map<String, Long> per = new LinkedHashMap<>();
        for (StateCount s : perState()) {
            per.put(s.status(), s.count());
        }
        long due = due();
        Map<String, Double> oldest = new LinkedHashMap<>();
        for (StateAge a : oldestInState()) {
            oldest.put(a.status(), a.seconds());
        }
        return new PipelineCounts(per, due, oldest);
    }

    @Query("select status, count(*) as count from tx_requests group by status")
    protected abstract List<StateCount> perState();

    @Query("select count(*) from tx_requests where next_attempt_at <= now() and status not in ('FINALIZED', "
            + "'REJECTED', 'KYT_BLOCKED', 'POLICY_BLOCKED', 'FAILED_SIGN', 'FAILED_BROADCAST')")
    protected abstract long due();

    // time in state: how long the longest-waiting transfer of each unfinished state has been in it
    @Query("select status, extract(epoch from now() - min(status_since)) as seconds from tx_requests where status "
            + "not in ('FINALIZED', 'REJECTED', 'KYT_BLOCKED', 'POLICY_BLOCKED', 'FAILED_SIGN') group by status")
    protected abstract List<StateAge> oldestInState();

    @Query("select (select count(*) from kyt_cases where status = 'OPEN') as open_cases, (select count(*) from "
            + "incidents where status = 'OPEN') as open_incidents")
    public abstract Attention attention();
}
