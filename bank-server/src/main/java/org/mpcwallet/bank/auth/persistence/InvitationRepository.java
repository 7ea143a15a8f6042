package org.mpcwallet.bank.auth.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Table {@code staff_invitations} (V23), and the user row an accepted invitation enables (Micronaut Data JDBC, in the
 * caller's Micronaut transaction; {@link #lockByUsername} refuses to run outside one).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class InvitationRepository implements GenericRepository<StaffInvitation, UUID> {
    @Inject
    UserRepository users;

    /** An invitation with its user's name and roles. */
    public record Pending(UUID userId, String username, List<String> roles, byte[] codeHash, Instant expiresAt,
                          Instant acceptedAt) {
    }

    /** Inserts {@code invitation}. */
    public abstract StaffInvitation save(StaffInvitation invitation);

    /** The invitation of {@code username}, row-locked, if there is one. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<Pending> lockByUsername(String username) {
        return lockRow(username).flatMap(i -> users.findById(i.userId()).map(u -> new Pending(i.userId(),
                u.username(), u.roles().stream().map(Enum::name).sorted().toList(), i.codeHash(), i.expiresAt(),
                i.acceptedAt())));
    }

    /** Accepts: the password is set, the account enabled (its tokens' version moves on), the code spent. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void accept(UUID userId, String passwordHash, Instant at) {
        users.enableWithPassword(userId, passwordHash);
        markAccepted(userId, at);
    }

    @Query("select i.* from staff_invitations i join users u on u.id = i.user_id where u.username = :username "
            + "for update of i")
    protected abstract Optional<StaffInvitation> lockRow(String username);

    @Query("update staff_invitations set accepted_at = :at where user_id = :userId")
    protected abstract void markAccepted(UUID userId, Instant at);
}
