package org.mpcwallet.bank.auth.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Tables {@code passkeys}, {@code passkey_challenges} and {@code step_up_grants} (V24), Micronaut Data JDBC: in the
 * caller's Micronaut transaction when there is one; the methods that lock or spend refuse to run outside one.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class PasskeyRepository implements GenericRepository<Passkey, UUID> {

    /** A challenge handed out; {@code usedAt} is set once it was answered (rightly or not). */
    public record Challenge(UUID userId, String purpose, byte[] challenge, Instant expiresAt, Instant usedAt) {
    }

    /** A step-up grant as found, before it is spent. */
    public record Grant(UUID userId, UUID passkeyId, Instant expiresAt, Instant usedAt) {
    }

    /** Inserts {@code p}. */
    public void insert(Passkey p) {
        save(p);
    }

    protected abstract Passkey save(Passkey p);

    @Query("select * from passkeys where user_id = :userId order by created_at, id")
    public abstract List<Passkey> byUser(UUID userId);

    /** The passkey with {@code credentialId}, row-locked (its counter moves on with each use). */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select * from passkeys where credential_id = :credentialId for update")
    public abstract Optional<Passkey> lockByCredentialId(byte[] credentialId);

    @Query("update passkeys set sign_count = :signCount, backup_state = :backupState, last_used_at = :at "
            + "where id = :id")
    public abstract void used(UUID id, long signCount, boolean backupState, Instant at);

    /** Stores a challenge handed out; challenges that expired a day ago go (of no use to anyone). */
    public void insertChallenge(byte[] tokenHash, UUID userId, String purpose, byte[] challenge, Instant at,
                                Instant expiresAt) {
        insertChallengeRow(tokenHash, userId, purpose, challenge, at, expiresAt);
        deleteChallengesExpiredBefore(at.minusSeconds(86_400));
    }

    /** Spends the challenge of {@code tokenHash}: returns it as it was before (usedAt null when it was unused). */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<Challenge> spendChallenge(byte[] tokenHash, Instant at) {
        Optional<PasskeyChallenge> found = lockChallenge(tokenHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        markChallengeUsed(tokenHash, at);
        PasskeyChallenge c = found.get();
        return Optional.of(new Challenge(c.userId(), c.purpose(), c.challenge(), c.expiresAt(), c.usedAt()));
    }

    @Query("insert into step_up_grants (token_hash, user_id, passkey_id, created_at, expires_at) "
            + "values (:tokenHash, :userId, :passkeyId, :at, :expiresAt)")
    public abstract void insertGrant(byte[] tokenHash, UUID userId, UUID passkeyId, Instant at, Instant expiresAt);

    /** The grant of {@code tokenHash}, row-locked, as it was; it is marked spent for {@code action} if it was not. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<Grant> spendGrant(byte[] tokenHash, String action, Instant at) {
        Optional<StepUpGrant> found = lockGrant(tokenHash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StepUpGrant g = found.get();
        if (g.usedAt() == null) {
            markGrantUsed(tokenHash, action, at);
        }
        return Optional.of(new Grant(g.userId(), g.passkeyId(), g.expiresAt(), g.usedAt()));
    }

    @Query("insert into passkey_challenges (token_hash, user_id, purpose, challenge, created_at, expires_at) "
            + "values (:tokenHash, :userId, :purpose, :challenge, :at, :expiresAt)")
    protected abstract void insertChallengeRow(byte[] tokenHash, UUID userId, String purpose, byte[] challenge,
                                               Instant at, Instant expiresAt);

    @Query("delete from passkey_challenges where expires_at < :before")
    protected abstract void deleteChallengesExpiredBefore(Instant before);

    @Query("select * from passkey_challenges where token_hash = :tokenHash for update")
    protected abstract Optional<PasskeyChallenge> lockChallenge(byte[] tokenHash);

    @Query("update passkey_challenges set used_at = coalesce(used_at, :at) where token_hash = :tokenHash")
    protected abstract void markChallengeUsed(byte[] tokenHash, Instant at);

    @Query("select * from step_up_grants where token_hash = :tokenHash for update")
    protected abstract Optional<StepUpGrant> lockGrant(byte[] tokenHash);

    @Query("update step_up_grants set used_at = :at, used_for = :action where token_hash = :tokenHash")
    protected abstract void markGrantUsed(byte[] tokenHash, String action, Instant at);
}
