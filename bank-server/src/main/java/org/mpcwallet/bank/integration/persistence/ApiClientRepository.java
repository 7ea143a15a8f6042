package org.mpcwallet.bank.integration.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tables {@code api_clients}, {@code api_client_keys}, {@code api_client_jtis} (Micronaut Data JDBC). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiClientRepository extends GenericRepository<ApiClientRow, UUID> {

    ApiClientRow save(ApiClientRow client);

    Optional<ApiClientRow> findById(UUID id);

    /** The first page of clients in registration order ({@code limit} rows). */
    @Query("select * from api_clients order by created_at, id limit :limit")
    List<ApiClientRow> first(int limit);

    /** The clients after ({@code at}, {@code id}) in registration order ({@code limit} rows). */
    @Query("select * from api_clients where (created_at, id) > (:at, :id) order by created_at, id limit :limit")
    List<ApiClientRow> after(Instant at, UUID id, int limit);

    @Query("update api_clients set disabled_at = :at where id = :id and disabled_at is null")
    int disable(UUID id, Instant at);

    /** Disables the client's user row and ends its tokens (auth_version bumped, V15). */
    @Query("update users set disabled = true, auth_version = auth_version + 1 where id = :userId")
    int disableUser(UUID userId);

    @Query("insert into api_client_keys (id, client_id, public_key, created_at, expires_at) "
            + "values (:id, :clientId, :publicKey, :createdAt, null)")
    void addKey(UUID id, UUID clientId, byte[] publicKey, Instant createdAt);

    /** Ends the keys of {@code clientId} still valid at {@code at} (except {@code keep}) at {@code until}. */
    @Query("update api_client_keys set expires_at = :until where client_id = :clientId and id <> :keep "
            + "and (expires_at is null or expires_at > :until)")
    int expireOthers(UUID clientId, UUID keep, Instant until);

    @Query("select id, client_id, public_key, created_at, expires_at from api_client_keys "
            + "where client_id = :clientId order by created_at, id")
    List<ApiClientKeyRow> keys(UUID clientId);

    /** Records a request's JWT id; 0 when the client used it before (a replay). */
    @Query("insert into api_client_jtis (client_id, jti, expires_at) values (:clientId, :jti, :expiresAt) "
            + "on conflict do nothing")
    int useJti(UUID clientId, String jti, Instant expiresAt);

    @Query("delete from api_client_jtis where expires_at < :before")
    int forgetJtis(Instant before);
}
