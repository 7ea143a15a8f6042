package org.mpcwallet.bank.mpc.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.paging.Cursors;

/**
 * Table {@code sign_requests} on Micronaut Data JDBC (rows {@link SignRequestRow}, handed out as the domain
 * {@link SignRequest}): in the caller's transaction. The row-locking read refuses to run outside a transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class SignRequestRepository implements GenericRepository<SignRequestRow, UUID> {
    private static final String COLUMNS = "id, wallet_id, status, tx_type, chain_id, nonce, "
            + "max_priority_fee_per_gas, max_fee_per_gas, gas_price, gas_limit, to_address, value_wei, data, "
            + "signing_hash, created_by, created_at, expires_at, updated_at, sig_r, sig_s, sig_v, raw_transaction, "
            + "tx_hash, failure, tx_request_id";

    @Inject
    JdbcOperations jdbc;

    /** A new request; {@code txRequestId} links it to a transfer of the custody pipeline (null: a direct one). */
    public void insert(SignRequest r, UUID txRequestId) {
        save(SignRequestRow.of(r, txRequestId));
    }

    protected abstract SignRequestRow save(SignRequestRow row);

    /** A page of a wallet's sign requests, oldest first, in {@code status} (null: any); limit + 1 rows. */
    public List<SignRequest> page(UUID walletId, SignRequest.Status status, Instant from, Instant to,
                                  Cursors.TimeKey after, int limit) {
        Keyset q = new Keyset("").and("wallet_id = ?", walletId);
        if (status != null) {
            q.and("status = ?", status.name());
        }
        q.created(from, to);
        return jdbc.execute(c -> q.page(c, "select " + COLUMNS + " from sign_requests", after, false, limit,
                rs -> jdbc.readEntity(rs, SignRequestRow.class).toSignRequest()));
    }

    /** The request (row-locked when {@code forUpdate}: then only inside a transaction), if it exists. */
    public Optional<SignRequest> find(UUID id, boolean forUpdate) {
        return (forUpdate ? lockRow(id) : row(id)).map(SignRequestRow::toSignRequest);
    }

    @Query("select " + COLUMNS + " from sign_requests where id = :id")
    protected abstract Optional<SignRequestRow> row(UUID id);

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select " + COLUMNS + " from sign_requests where id = :id for update")
    protected abstract Optional<SignRequestRow> lockRow(UUID id);

    /** PENDING → SIGNED with the signature and signed transaction; false when it is no longer PENDING. */
    public boolean markSigned(UUID id, SignRequest.Signature sig, byte[] raw, byte[] txHash, Instant now) {
        return updateSigned(id, SignRequest.fixed32(sig.r()), SignRequest.fixed32(sig.s()), (short) sig.v(), raw,
                txHash, now) == 1;
    }

    @Query("update sign_requests set status = 'SIGNED', sig_r = :sigR, sig_s = :sigS, sig_v = :sigV, "
            + "raw_transaction = :raw, tx_hash = :txHash, updated_at = :now where id = :id and status = 'PENDING'")
    protected abstract int updateSigned(UUID id, byte[] sigR, byte[] sigS, short sigV, byte[] raw, byte[] txHash,
                                        Instant now);

    /** PENDING → FAILED with {@code failure} (no change when it is no longer PENDING). */
    @Query("update sign_requests set status = 'FAILED', failure = :failure, updated_at = :now where id = :id "
            + "and status = 'PENDING'")
    public abstract void markFailed(UUID id, String failure, Instant now);
}
