package org.mpcwallet.bank.auth.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Table {@code refresh_tokens} (hashes only), Micronaut Data JDBC. The methods run in the caller's Micronaut
 * transaction ({@code @Transactional}, {@code Transactions.inTransaction(TransactionOperations, ...)}); outside one,
 * each statement commits by itself, and {@link #lockByHash}, whose lock only means something inside one, refuses to
 * run.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RefreshTokenRepository extends GenericRepository<RefreshToken, UUID> {

    /** Inserts {@code token}. */
    RefreshToken save(RefreshToken token);

    /** Finds the token by its hash and locks its row until the transaction ends. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select id, token_hash, user_id, family_id, created_at, expires_at, revoked_at, replaced_by, second_factor "
            + "from refresh_tokens where token_hash = :tokenHash for update")
    Optional<RefreshToken> lockByHash(byte[] tokenHash);

    /** Marks a token as rotated into {@code replacedBy}. */
    @Query("update refresh_tokens set revoked_at = :at, replaced_by = :replacedBy where id = :id")
    void markRotated(UUID id, UUID replacedBy, Instant at);

    /** Revokes every still-usable token of the family; returns how many. */
    @Query("update refresh_tokens set revoked_at = :at where family_id = :familyId and revoked_at is null")
    int revokeFamily(UUID familyId, Instant at);
}
