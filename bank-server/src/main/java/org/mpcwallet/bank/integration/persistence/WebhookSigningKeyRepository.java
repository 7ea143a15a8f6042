package org.mpcwallet.bank.integration.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.annotation.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Table {@code webhook_signing_keys} (V21): the public halves of the bank's webhook signing keys, the current one
 * and those it replaced, which stay published as retired. Micronaut Data JDBC, in the caller's Micronaut transaction
 * when there is one.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class WebhookSigningKeyRepository implements GenericRepository<WebhookSigningKeyRow, String> {

    /** Registers the current key (once) and retires every other, both or neither. */
    @Transactional
    public void currentKey(String kid, byte[] spki, Instant now) {
        register(kid, spki, now);
        retireOthers(kid, now);
    }

    /** Every key, the current one first, then the retired ones newest first. */
    @Query("select kid, public_key, created_at, retired_at "
            + "from webhook_signing_keys order by retired_at desc nulls first, created_at desc")
    public abstract List<WebhookSigningKeyRow> signingKeys();

    @Query("insert into webhook_signing_keys (kid, public_key, created_at, retired_at) "
            + "values (:kid, :spki, :now, null) on conflict (kid) do update set retired_at = null")
    protected abstract void register(String kid, byte[] spki, Instant now);

    @Query("update webhook_signing_keys set retired_at = :now where kid <> :kid and retired_at is null")
    protected abstract void retireOthers(String kid, Instant now);
}
