package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;

/**
 * Table {@code webhook_subscriptions} (V21): an API client's subscriptions, their disabled mark and failure streak,
 * and the two {@code api_clients} look-ups the webhook API needs (the caller's own client, whether a client exists).
 * Micronaut Data JDBC, in the caller's Micronaut transaction when there is one; {@link #lock} refuses to run outside
 * one (its row lock is the point).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class WebhookSubscriptionRepository implements GenericRepository<WebhookSubscriptionRow, UUID> {
    @Inject
    JdbcOperations jdbc;

    /** A subscription as the webhook API and the dispatcher see it. */
    public record Subscription(UUID id, UUID clientId, String url, List<String> eventTypes, String description,
                               long fromSeq, UUID createdBy, Instant createdAt, Instant disabledAt,
                               String disabledReason, Instant failingSince) {
    }

    private static final String SUBSCRIPTION_COLUMNS = "id, client_id, url, event_types, description, from_seq, "
            + "created_by, created_at, disabled_at, disabled_reason, failing_since";

    /** Inserts {@code s}, enabled and with no failure streak. */
    public void insert(Subscription s) {
        insertRow(s.id(), s.clientId(), s.url(), s.eventTypes().toArray(new String[0]), s.description(), s.fromSeq(),
                s.createdBy(), s.createdAt());
    }

    /** The subscription {@code id}, if there is one. */
    public Optional<Subscription> find(UUID id) {
        return row(id).map(WebhookSubscriptionRepository::subscription);
    }

    /** The subscription {@code id}, its row locked {@code for update} until the transaction ends. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<Subscription> lock(UUID id) {
        return lockRow(id).map(WebhookSubscriptionRepository::subscription);
    }

    /** A page of subscriptions in creation order after {@code after}; {@code clientId} null: all; limit + 1 rows. */
    public List<Subscription> page(@Nullable UUID clientId, @Nullable Cursors.TimeKey after, int limit) {
        Keyset q = new Keyset("");
        if (clientId != null) {
            q.and("client_id = ?", clientId);
        }
        return jdbc.execute(c -> q.page(c, "select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions", after,
                false, limit, WebhookSubscriptionRepository::subscription));
    }

    /** The client's enabled subscriptions. */
    @Query("select count(*) from webhook_subscriptions where client_id = :clientId and disabled_at is null")
    public abstract int countEnabled(UUID clientId);

    /** Sets (or, with nulls, clears) the disabled mark; the failure streak stays. */
    @Query("update webhook_subscriptions set disabled_at = :at, disabled_reason = :reason where id = :id")
    public abstract void setDisabled(UUID id, @Nullable Instant at, @Nullable String reason);

    /** Re-enables: clears the disabled mark and the failure streak. */
    @Query("update webhook_subscriptions set disabled_at = null, disabled_reason = null, failing_since = null "
            + "where id = :id")
    public abstract void enable(UUID id);

    /**
     * A failure: starts the streak if none runs; returns when the streak began ({@code now} for no such row). Through
     * {@link JdbcOperations} (the current transaction's connection): Micronaut Data maps a native {@code returning}
     * clause to the row's id, not to the column it names.
     */
    public Instant failing(UUID id, Instant now) {
        return jdbc.prepareStatement("update webhook_subscriptions set failing_since = coalesce(failing_since, ?) "
                + "where id = ? returning failing_since", ps -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setObject(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getTimestamp(1).toInstant() : now;
                    }
                });
    }

    /** A success: ends the failure streak. */
    @Query("update webhook_subscriptions set failing_since = null where id = :id and failing_since is not null")
    public abstract void succeeded(UUID id);

    /** The API client whose user row is {@code userId}: its id, or empty. */
    @Query("select id from api_clients where user_id = :userId")
    public abstract Optional<UUID> clientOfUser(UUID userId);

    /** Whether the API client {@code clientId} exists. */
    public boolean clientExists(UUID clientId) {
        return clientRow(clientId).isPresent();
    }

    @Query("insert into webhook_subscriptions (" + SUBSCRIPTION_COLUMNS + ") values (:id, :clientId, :url, "
            + ":eventTypes, :description, :fromSeq, :createdBy, :createdAt, null, null, null)")
    protected abstract void insertRow(UUID id, UUID clientId, String url,
                                      @TypeDef(type = DataType.STRING_ARRAY) String[] eventTypes,
                                      @Nullable String description, long fromSeq, UUID createdBy, Instant createdAt);

    @Query("select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where id = :id")
    protected abstract Optional<WebhookSubscriptionRow> row(UUID id);

    @Query("select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where id = :id for update")
    protected abstract Optional<WebhookSubscriptionRow> lockRow(UUID id);

    @Query("select 1 from api_clients where id = :clientId")
    protected abstract Optional<Integer> clientRow(UUID clientId);

    private static Subscription subscription(WebhookSubscriptionRow r) {
        return new Subscription(r.id(), r.clientId(), r.url(), Arrays.asList(r.eventTypes()), r.description(),
                r.fromSeq(), r.createdBy(), r.createdAt(), r.disabledAt(), r.disabledReason(), r.failingSince());
    }

    private static Subscription subscription(ResultSet rs) throws SQLException {
        return new Subscription(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getString(5), rs.getLong(6),
                rs.getObject(7, UUID.class), rs.getTimestamp(8).toInstant(), instant(rs, 9), rs.getString(10),
                instant(rs, 11));
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }
}
