package org.mpcwallet.bank.auth.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Table {@code mpc_tickets} (hashes only), Micronaut Data JDBC; each statement commits by itself. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ChannelTicketRepository extends GenericRepository<ChannelTicket, UUID> {

    /** Inserts {@code ticket}. */
    ChannelTicket save(ChannelTicket ticket);

    /** The ticket with this hash, used or not. */
    @Query("select id, ticket_hash, user_id, auth_version, created_at, expires_at, used_at "
            + "from mpc_tickets where ticket_hash = :ticketHash")
    Optional<ChannelTicket> findByHash(byte[] ticketHash);

    /**
     * Marks the ticket used if it is still unused and unexpired at {@code at}; 1 when this call used it, 0 otherwise
     * (already used, by this or a concurrent upgrade, or expired). The check and the mark are one statement.
     */
    @Query("update mpc_tickets set used_at = :at where id = :id and used_at is null and expires_at > :at")
    int use(UUID id, Instant at);

    /** Deletes tickets that expired before {@code before}; returns how many. */
    @Query("delete from mpc_tickets where expires_at < :before")
    int deleteExpiredBefore(Instant before);
}
