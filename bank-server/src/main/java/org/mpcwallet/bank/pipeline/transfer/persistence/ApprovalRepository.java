package org.mpcwallet.bank.pipeline.transfer.persistence;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedProperty;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Table {@code approvals}, the votes on transaction requests (Micronaut Data JDBC): in the caller's Micronaut
 * transaction when there is one, else each statement commits by itself.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApprovalRepository extends GenericRepository<Approval, UUID> {

    /** One vote: who cast it (id and user name), {@code APPROVE} or {@code REJECT}, an optional comment. */
    @Introspected
    record Vote(UUID userId, String username, String decision, @Nullable String comment,
                @MappedProperty("created_at") Instant at) {
    }

    /** Records a vote; false (nothing written) when the user has voted on the request already. */
    default boolean insert(UUID txRequestId, UUID userId, String decision, @Nullable String comment, Instant at) {
        return insertIfNew(txRequestId, userId, decision, comment, at) == 1;
    }

    /** The votes on a request, oldest first. */
    @Query("select a.user_id, u.username, a.decision, a.comment, a.created_at from approvals a join users u "
            + "on u.id = a.user_id where a.tx_request_id = :txRequestId order by a.created_at, a.user_id")
    List<Vote> votes(UUID txRequestId);

    /** The vote as a row; 0 when the user has voted on the request already (nothing written). */
    @Query("insert into approvals (tx_request_id, user_id, decision, comment, created_at) "
            + "values (:txRequestId, :userId, :decision, :comment, :at) on conflict do nothing")
    int insertIfNew(UUID txRequestId, UUID userId, String decision, @Nullable String comment, Instant at);
}
