package org.mpcwallet.bank.pipeline.deposit.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.db.Keyset;
import org.mpcwallet.bank.paging.Cursors;

/**
 * The chain listener's tables on Micronaut Data JDBC: {@code deposits} (rows {@link DepositRow}),
 * {@code chain_cursor} ({@link ChainCursorRow}) and {@code chain_blocks} ({@link ChainBlockRow}). In the caller's
 * Micronaut transaction when there is one, else each statement on a connection of its own in auto-commit (the
 * listener's reads between the node's answers). The scan lock and the locking reads of a batch's writes refuse to run
 * outside a transaction. Hashes are 0x-hex lower-case outside, {@code bytea} inside.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public abstract class DepositRepository implements GenericRepository<DepositRow, UUID> {
    private static final HexFormat HEX = HexFormat.of();
    private static final String COLUMNS = "id, wallet_id, chain_id, tx_hash, log_index, asset, token_address, "
            + "from_address, amount, block_number, block_hash, kyt_verdict, kyt_case_id, status, created_at, "
            + "updated_at";

    @Inject
    JdbcOperations jdbc;

    /** A deposit row. {@code logIndex} is -1 for ETH (a transaction's value), else the ERC-20 log's index. */
    public record Deposit(UUID id, UUID walletId, long chainId, String txHash, int logIndex, String asset,
                          String tokenAddress, String from, BigInteger amount, long blockNumber, String blockHash,
                          String kytVerdict, UUID kytCaseId, String status, Instant createdAt) {
    }

    /** The listener's position: the last processed block and its hash (null for a cursor written before V8). */
    public record Cursor(long lastBlock, String lastHash) {
    }

    /** A block hash the listener saw. */
    public record SeenBlock(long number, String hash) {
    }

    /** What {@link #record} did. */
    public enum Recorded {
        /** A new deposit. */
        INSERTED,
        /** A deposit reorged out earlier is back in the canonical chain (status DETECTED again, new block). */
        REVIVED,
        /** Already known: nothing written. */
        KNOWN
    }

    /**
     * Takes the chain's scan lock for the rest of the transaction ({@code pg_try_advisory_xact_lock(lockClass,
     * chain)}); false when another transaction holds it. Only inside a transaction.
     */
    public boolean tryScanLock(int lockClass, long chainId) {
        return tryXactLock(lockClass, (int) (chainId ^ (chainId >>> 32)));
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select pg_try_advisory_xact_lock(:lockClass, :key)")
    protected abstract boolean tryXactLock(int lockClass, int key);

    // ---------------------------------------------------------------- cursor

    /**
     * The cursor of {@code chainId}, row-locked: until the transaction ends inside one; outside one (the listener's
     * auto-commit reads) for the statement only, so it waits for a batch being written.
     */
    public Optional<Cursor> cursor(long chainId) {
        return cursorRow(BigDecimal.valueOf(chainId)).map(r -> new Cursor(r.lastBlock(), hex(r.lastBlockHash())));
    }

    @Query("select chain_id, last_block, last_block_hash, updated_at from chain_cursor where chain_id = :chainId "
            + "for update")
    protected abstract Optional<ChainCursorRow> cursorRow(BigDecimal chainId);

    public void saveCursor(long chainId, long lastBlock, @Nullable String lastHash) {
        upsertCursor(BigDecimal.valueOf(chainId), lastBlock, bytes(lastHash));
    }

    @Query("insert into chain_cursor (chain_id, last_block, last_block_hash, updated_at) "
            + "values (:chainId, :lastBlock, :lastHash, now()) on conflict (chain_id) do update set "
            + "last_block = excluded.last_block, last_block_hash = excluded.last_block_hash, updated_at = now()")
    protected abstract void upsertCursor(BigDecimal chainId, long lastBlock, @Nullable byte[] lastHash);

    // ---------------------------------------------------------------- block hashes

    public void rememberBlock(long chainId, long number, String hash) {
        upsertBlock(BigDecimal.valueOf(chainId), number, bytes(hash));
    }

    @Query("insert into chain_blocks (chain_id, number, hash) values (:chainId, :number, :hash) "
            + "on conflict (chain_id, number) do update set hash = excluded.hash")
    protected abstract void upsertBlock(BigDecimal chainId, long number, byte[] hash);

    /** Remembered blocks at or below {@code number}, newest first. */
    public List<SeenBlock> blocksAtOrBelow(long chainId, long number, int limit) {
        return blockRows(BigDecimal.valueOf(chainId), number, limit).stream()
                .map(b -> new SeenBlock(b.number(), hex(b.hash()))).toList();
    }

    @Query("select chain_id, number, hash from chain_blocks where chain_id = :chainId and number <= :number "
            + "order by number desc limit :limit")
    protected abstract List<ChainBlockRow> blockRows(BigDecimal chainId, long number, int limit);

    /** Forgets blocks above {@code number} (they left the canonical chain) and those below {@code keepFrom}. */
    public void forgetBlocks(long chainId, long above, long keepFrom) {
        deleteBlocks(BigDecimal.valueOf(chainId), above, keepFrom);
    }

    @Query("delete from chain_blocks where chain_id = :chainId and (number > :above or number < :keepFrom)")
    protected abstract void deleteBlocks(BigDecimal chainId, long above, long keepFrom);

    // ---------------------------------------------------------------- deposits

    /**
     * Records a transfer to a wallet: a new row (status DETECTED, not yet screened), or the row reorged out earlier
     * back at its new block; an already known deposit is left as it is. The id is the row's either way. Only inside a
     * transaction (the known row is locked).
     */
    public Recorded record(Deposit d) {
        BigDecimal chainId = BigDecimal.valueOf(d.chainId());
        byte[] txHash = bytes(d.txHash());
        Optional<String> status = lockStatus(chainId, txHash, d.logIndex());
        if (status.isPresent()) {
            if (!status.get().equals("REORGED")) {
                return Recorded.KNOWN;
            }
            revive(d.blockNumber(), bytes(d.blockHash()), chainId, txHash, d.logIndex());
            return Recorded.REVIVED;
        }
        return insertIfNew(d.id(), d.walletId(), chainId, txHash, d.logIndex(), d.asset(), d.tokenAddress(), d.from(),
                new BigDecimal(d.amount()), d.blockNumber(), bytes(d.blockHash()), d.createdAt()) == 1
                ? Recorded.INSERTED : Recorded.KNOWN;
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select status from deposits where chain_id = :chainId and tx_hash = :txHash and log_index = :logIndex "
            + "for update")
    protected abstract Optional<String> lockStatus(BigDecimal chainId, byte[] txHash, int logIndex);

    @Query("update deposits set status = 'DETECTED', block_number = :blockNumber, block_hash = :blockHash, "
            + "updated_at = now() where chain_id = :chainId and tx_hash = :txHash and log_index = :logIndex")
    protected abstract void revive(long blockNumber, @Nullable byte[] blockHash, BigDecimal chainId, byte[] txHash,
                                   int logIndex);

    @Query("insert into deposits (id, wallet_id, chain_id, tx_hash, log_index, asset, token_address, from_address, "
            + "amount, block_number, block_hash, kyt_verdict, kyt_case_id, status, created_at, updated_at) values "
            + "(:id, :walletId, :chainId, :txHash, :logIndex, :asset, :tokenAddress, :from, :amount, :blockNumber, "
            + ":blockHash, null, null, 'DETECTED', :createdAt, :createdAt) "
            + "on conflict (chain_id, tx_hash, log_index) do nothing")
    protected abstract int insertIfNew(UUID id, UUID walletId, BigDecimal chainId, byte[] txHash, int logIndex,
                                       String asset, @Nullable String tokenAddress, String from, BigDecimal amount,
                                       long blockNumber, @Nullable byte[] blockHash, Instant createdAt);

    /** The deposit {@code (chainId, txHash, logIndex)}. */
    public Optional<Deposit> find(long chainId, String txHash, int logIndex) {
        return row(BigDecimal.valueOf(chainId), bytes(txHash), logIndex).map(DepositRow::toDeposit);
    }

    @Query("select " + COLUMNS + " from deposits where chain_id = :chainId and tx_hash = :txHash "
            + "and log_index = :logIndex")
    protected abstract Optional<DepositRow> row(BigDecimal chainId, byte[] txHash, int logIndex);

    @Query("update deposits set kyt_verdict = :verdict, kyt_case_id = :caseId, updated_at = now() where id = :id")
    public abstract void setKyt(UUID id, String verdict, @Nullable UUID caseId);

    /** Moves a deposit from {@code from} to {@code to}; false if it was no longer in {@code from}. */
    public boolean setStatus(UUID id, String from, String to) {
        return updateStatus(to, id, from) == 1;
    }

    @Query("update deposits set status = :to, updated_at = now() where id = :id and status = :from")
    protected abstract int updateStatus(String to, UUID id, String from);

    /**
     * DETECTED deposits of the chain in blocks at or below {@code maxBlock}, row-locked (outside a transaction — the
     * listener's reads — for the statement only).
     */
    public List<Deposit> detectedUpTo(long chainId, long maxBlock) {
        return detectedRows(BigDecimal.valueOf(chainId), maxBlock).stream().map(DepositRow::toDeposit).toList();
    }

    @Query("select " + COLUMNS + " from deposits where chain_id = :chainId and status = 'DETECTED' "
            + "and block_number <= :maxBlock order by block_number, id for update")
    protected abstract List<DepositRow> detectedRows(BigDecimal chainId, long maxBlock);

    /** DETECTED or CONFIRMED deposits of the chain in blocks above {@code block}, row-locked; only in a transaction. */
    public List<Deposit> liveAbove(long chainId, long block) {
        return liveRows(BigDecimal.valueOf(chainId), block).stream().map(DepositRow::toDeposit).toList();
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    @Query("select " + COLUMNS + " from deposits where chain_id = :chainId and status in ('DETECTED', 'CONFIRMED') "
            + "and block_number > :block order by block_number, id for update")
    protected abstract List<DepositRow> liveRows(BigDecimal chainId, long block);

    /** A page of a wallet's deposits, newest first, in {@code status} (null: any); limit + 1 rows. */
    public List<Deposit> page(UUID walletId, @Nullable String status, @Nullable Instant from, @Nullable Instant to,
                              @Nullable Cursors.TimeKey after, int limit) {
        Keyset q = new Keyset("").and("wallet_id = ?", walletId);
        if (status != null) {
            q.and("status = ?", status);
        }
        q.created(from, to);
        return jdbc.execute(c -> q.page(c, "select " + COLUMNS + " from deposits", after, true, limit,
                rs -> jdbc.readEntity(rs, DepositRow.class).toDeposit()));
    }

    static String hex(byte[] b) {
        return b == null ? null : "0x" + HEX.formatHex(b);
    }

    private static byte[] bytes(String hex) {
        return hex == null ? null : HEX.parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
    }
}
