package org.mpcwallet.bank.pipeline.deposit.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.chain.ChainBlock;
import org.mpcwallet.bank.chain.ChainFailure;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.ChainTransaction;
import org.mpcwallet.bank.chain.Erc20TransferLog;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.chain.InternalTransfer;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.PipelineConfig;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository.Cursor;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository.Deposit;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository.Recorded;
import org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository.SeenBlock;
import org.mpcwallet.bank.pipeline.kyt.app.KytCaseService;
import org.mpcwallet.bank.pipeline.kyt.app.ListKytProvider;
import org.mpcwallet.bank.pipeline.kyt.domain.Direction;
import org.mpcwallet.bank.pipeline.kyt.domain.KytProvider;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.bank.sched.Periodic;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects deposits to the bank's wallets (docs/custody-pipeline.md, "Chain listener"): scans new blocks for ETH
 * transfers (a transaction's {@code to} is an ACTIVE wallet's address and its receipt succeeded) and ERC-20
 * {@code Transfer} logs of registered tokens to those addresses, records each once in {@code deposits}, screens the
 * sender (KYT, INBOUND), and marks a deposit CONFIRMED at {@code CONFIRMATION_BLOCKS} confirmations after checking
 * its block is still canonical, or REORGED when it is not.
 *
 * <p>One round is a series of batches. A batch reads first — every node call (blocks, receipts, logs, confirmation
 * checks) and its table reads in auto-commit, so no transaction is open across the node's answers — and screens
 * (KYT); then one short transaction takes {@code pg_try_advisory_xact_lock(LOCK_CLASS, chain)}, checks the cursor is
 * still the one the reads started from, and writes. Only one instance writes a chain's batch; another skips the
 * round (BUSY). The transaction-scoped lock is released by the commit or rollback itself, so no code path (an
 * exception, a connection returned to the pool) can leave it held, and the cursor moves in the same commit that
 * records the deposits, under the same lock.
 *
 * <p>The cursor ({@code chain_cursor}) starts, on the first round for a chain, at the node's head: only blocks mined
 * after that are scanned (deposits made before the bank watched the chain are not back-filled). The hashes of the
 * last {@value #KEPT_BLOCKS} scanned blocks are kept ({@code chain_blocks}); when the cursor's block is no longer
 * canonical, the listener walks back to the newest kept block that still is (the fork point), marks the deposits
 * above it REORGED (audited, with the status they had), rewinds the cursor there and scans the new branch; a
 * deposit whose transaction is mined again is DETECTED again (same row). Node failures roll the batch back and are
 * reported as {@link Outcome#UNAVAILABLE}; the next round starts from the same cursor.
 *
 * <p>Why one class of this size: a batch's reads (blocks, the fork walk, deposits, confirmation checks) and its
 * writes share one {@code Scan} and must be read together to see that a deposit is recorded, screened, confirmed or
 * reorged exactly once; the pure parts (KYT screening, the decisions) are small methods here rather than a package
 * of their own.
 */
@Context
public class ChainListener {
    private static final Logger LOG = LoggerFactory.getLogger(ChainListener.class);
    static final String ACTOR = "system:chain-listener";
    /** Blocks scanned per batch (one transaction). */
    public static final int MAX_BATCH_BLOCKS = 100;
    /** Batches per round at most (a round catching up a long way stops there and continues next time). */
    static final int MAX_BATCHES_PER_ROUND = 20;
    /** Scanned block hashes kept for finding a fork point. */
    static final int KEPT_BLOCKS = 256;
    /** First key of the advisory lock ({@code "LSTN"}); the second is the chain id. */
    public static final int LOCK_CLASS = 0x4c53544e;
    /** The longest interval accepted for CHAIN_LISTENER_POLL_INTERVAL_MS. */
    static final long MAX_INTERVAL_MILLIS = 600_000;

    /** How a round ended. */
    public enum Outcome {
        /** No Ethereum node is configured: nothing to scan. */
        DISABLED,
        /** Another instance holds the lock; it scans. */
        BUSY,
        /** Scanned up to the head (or as far as a round goes). */
        DONE,
        /** The node failed or answered inconsistently; nothing of the failed batch was written. */
        UNAVAILABLE
    }

    /**
     * The result of {@link #runOnce()}.
     *
     * @param outcome   how the round ended
     * @param cursor    the last processed block afterwards (-1 if unknown)
     * @param detected  deposits recorded (new, or back after a reorg)
     * @param confirmed deposits that became CONFIRMED
     * @param reorged   deposits that became REORGED
     * @param problem   for UNAVAILABLE/DISABLED: why (no URL, no secret)
     */
    public record Round(Outcome outcome, long cursor, int detected, int confirmed, int reorged, String problem) {
    }

    private final TransactionRunner transactions;
    private final ChainAccess chain;
    private final WalletRepository walletRows;
    private final KytCaseService cases;
    private final AuditLog audit;
    private final JsonMapper json;
    private final int confirmationBlocks;
    private final KytProvider kyt;
    private final Periodic timer;
    private final TokenRepository tokenRows;
    private final DepositRepository deposits;
    /** Whether to look for contract-made ETH deposits; turned off for good when the node lacks the trace method. */
    private volatile boolean traceInternal;

    @Inject
    public ChainListener(TransactionRunner transactions, ChainAccess chain,
                         KytCaseService cases, AuditLog audit, JsonMapper json, PipelineConfig config,
                         WalletRepository walletRows,
                         @Value("${bank.pipeline.listener-interval-millis:2000}") long intervalMillis,
                         TokenRepository tokenRows, DepositRepository deposits) {
        if (intervalMillis < 0 || intervalMillis > MAX_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("bank.pipeline.listener-interval-millis (CHAIN_LISTENER_POLL_INTERVAL_MS)"
                    + " must be 0-" + MAX_INTERVAL_MILLIS + " (0: only when called), got " + intervalMillis);
        }
        this.transactions = transactions;
        this.walletRows = walletRows;
        this.chain = chain;
        this.cases = cases;
        this.audit = audit;
        this.json = json;
        this.confirmationBlocks = config.confirmationBlocks();
        this.kyt = new ListKytProvider(config.kytBlacklist(), config.kytGraylist());
        this.traceInternal = config.traceInternalTransfers();
        this.timer = Periodic.every("chain-listener", chain.configured() ? intervalMillis : 0, this::runQuietly);
        this.tokenRows = tokenRows;
        this.deposits = deposits;
    }

    @PreDestroy
    void stop() {
        timer.close();
    }

    private void runQuietly() {
        try {
            Round r = runOnce();
            if (r.outcome() == Outcome.UNAVAILABLE) {
                LOG.warn("chain listener: round stopped at block {}: {}", r.cursor(), r.problem());
            }
        } catch (RuntimeException e) {
            LOG.warn("chain listener: a round failed ({}: {})", e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private volatile long lag = -1;

    /** Blocks between the node's head and the cursor after the last batch; -1 before the first (or without a node). */
    public long lagBlocks() {
        return lag;
    }

    /** One round: batches of at most {@value #MAX_BATCH_BLOCKS} blocks until the head (or the round's limit). */
    public Round runOnce() {
        if (!chain.configured()) {
            return new Round(Outcome.DISABLED, -1, 0, 0, 0, "no Ethereum node is configured (ETH_RPC_URL)");
        }
        int detected = 0;
        int confirmed = 0;
        int reorged = 0;
        long cursor = -1;
        for (int i = 0; i < MAX_BATCHES_PER_ROUND; i++) {
            Batch b;
            try {
                b = batch();
            } catch (NodeUnavailable e) {
                return new Round(Outcome.UNAVAILABLE, cursor, detected, confirmed, reorged, e.getMessage());
            }
            if (b == null) {
                return new Round(Outcome.BUSY, cursor, detected, confirmed, reorged, null);
            }
            detected += b.detected();
            confirmed += b.confirmed();
            reorged += b.reorged();
            cursor = b.cursor();
            if (!b.more()) {
                break;
            }
        }
        return new Round(Outcome.DONE, cursor, detected, confirmed, reorged, null);
    }

    // ------------------------------------------------------------------ one batch

    private record Batch(long cursor, int detected, int confirmed, int reorged, boolean more) {
    }

    private record Fork(long number, String hash) {
    }

    /** A new deposit's screening: the verdict and the address it is about (the sender, or the tx's signer). */
    private record Verdict(Deposit deposit, KytResult result, String address) {
    }

    /** A decision about a DETECTED deposit old enough to confirm. */
    private record Check(Deposit deposit, boolean confirm, String reason) {
    }

    /**
     * What one batch read — from the node and the tables, with no transaction open — and will write: the cursor it
     * started from, the head, the fork if the chain changed under the cursor, the new blocks, the deposits found in
     * them and the confirmation checks of older deposits. {@code start} is the head block when no cursor exists yet.
     */
    private record Scan(long chainId, long head, Instant now, Optional<Cursor> cursor, ChainBlock start, Fork fork,
                        long base, String baseHash, List<ChainBlock> blocks, List<Deposit> found, List<Check> checks) {
    }

    /**
     * One batch: the reads (node calls included) with no transaction open, then the writes in one short transaction
     * under the chain's advisory lock (docs/redesign.md step 4: no network call while a transaction is open). Null
     * when another instance holds the lock, or moved the cursor since the reads (its batch did this work).
     */
    private Batch batch() {
        long chainId;
        try {
            chainId = chain.chainId();
        } catch (IllegalStateException e) {
            throw new NodeUnavailable(e.getMessage());
        }
        Scan scan;
        try {
            // outside any transaction each repository read is its own statement on its own pooled connection:
            // nothing stays open, and no connection is held, across the node's answers
            scan = read(chainId);
        } catch (DataAccessException e) {
            throw Transactions.storeFailure(e);
        }
        return transactions.inTransaction(() -> write(scan));
    }

    /** The reads of a batch: the node, the tables, nothing written. */
    private Scan read(long chainId) {
        EthNode node = chain.node();
        long head = ok(node.blockNumber());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        Optional<Cursor> stored = deposits.cursor(chainId);
        if (stored.isEmpty()) {
            ChainBlock b = block(node, head).orElseThrow(() -> new NodeUnavailable("the node has no block " + head));
            return new Scan(chainId, head, now, stored, b, null, head, b.hash(), List.of(), List.of(), List.of());
        }
        Cursor cursor = stored.get();
        Fork fork = null;
        if (cursor.lastHash() != null && cursor.lastBlock() >= 0) {
            Optional<ChainBlock> atCursor = block(node, cursor.lastBlock());
            if (atCursor.isEmpty() || !atCursor.get().hash().equals(cursor.lastHash())) {
                fork = findFork(node, chainId, cursor);
            }
        }
        long base = fork != null ? fork.number() : cursor.lastBlock();
        String baseHash = fork != null ? fork.hash() : cursor.lastHash();
        List<ChainBlock> blocks = new ArrayList<>();
        long to = Math.min(head, base + MAX_BATCH_BLOCKS);
        String prev = baseHash;
        for (long n = base + 1; n <= to; n++) {
            Optional<ChainBlock> b = block(node, n);
            if (b.isEmpty() || prev != null && !b.get().parentHash().equals(prev)) {
                break; // the chain changed under the scan: the next batch checks the cursor again
            }
            blocks.add(b.get());
            prev = b.get().hash();
        }
        List<Deposit> found = blocks.isEmpty() ? List.of() : transfers(node, chainId, blocks, now);
        List<Check> checks = confirmationChecks(node, chainId, head, fork == null ? Long.MAX_VALUE : fork.number());
        return new Scan(chainId, head, now, stored, null, fork, base, baseHash, blocks, found, checks);
    }

    /** The writes of a batch in the caller's transaction; null when the lock is held or the cursor moved. */
    private Batch write(Scan scan) throws SQLException {
        long chainId = scan.chainId();
        long head = scan.head();
        if (!deposits.tryScanLock(LOCK_CLASS, chainId)
                || !deposits.cursor(chainId).equals(scan.cursor())) {
            return null;
        }
        if (scan.start() != null) {
            ChainBlock b = scan.start();
            deposits.saveCursor(chainId, head, b.hash());
            deposits.rememberBlock(chainId, head, b.hash());
            audit.appendInTransaction(ACTOR, "CHAIN_CURSOR_STARTED", payload("chainId", chainId, "block", head,
                    "blockHash", b.hash(), "note", "only blocks after this one are scanned"));
            lag = 0;
            return new Batch(head, 0, 0, 0, false);
        }
        Cursor cursor = scan.cursor().orElseThrow();
        Fork fork = scan.fork();
        long base = scan.base();
        String baseHash = scan.baseHash();
        List<ChainBlock> blocks = scan.blocks();
        List<Deposit> found = scan.found();
        List<Check> checks = scan.checks();

        // ---- writes without audit: reorg marks, deposit rows, block hashes, cursor
        List<Deposit> orphaned = new ArrayList<>();
        if (fork != null) {
            for (Deposit d : deposits.liveAbove(chainId, fork.number())) {
                if (deposits.setStatus(d.id(), d.status(), "REORGED")) {
                    orphaned.add(d);
                }
            }
            deposits.forgetBlocks(chainId, fork.number(), Long.MIN_VALUE);
        }
        List<Deposit> fresh = new ArrayList<>();
        List<Deposit> revived = new ArrayList<>();
        for (Deposit d : found) {
            Recorded r = deposits.record(d);
            if (r == Recorded.INSERTED) {
                fresh.add(d);
            } else if (r == Recorded.REVIVED) {
                revived.add(deposits.find(chainId, d.txHash(), d.logIndex()).orElseThrow());
            }
        }
        long last = blocks.isEmpty() ? base : blocks.getLast().number();
        String lastHash = blocks.isEmpty() ? baseHash : blocks.getLast().hash();
        for (ChainBlock b : blocks) {
            deposits.rememberBlock(chainId, b.number(), b.hash());
        }
        deposits.forgetBlocks(chainId, Long.MAX_VALUE, last - KEPT_BLOCKS + 1);
        deposits.saveCursor(chainId, last, lastHash);
        List<Check> applied = new ArrayList<>();
        for (Check k : checks) {
            if (deposits.setStatus(k.deposit().id(), "DETECTED", k.confirm() ? "CONFIRMED" : "REORGED")) {
                applied.add(k);
            }
        }
        Map<String, String> signers = new HashMap<>();
        blocks.forEach(b -> b.transactions().forEach(t -> signers.put(t.hash(), t.from())));
        List<Verdict> verdicts = new ArrayList<>();
        for (Deposit d : fresh) {
            verdicts.add(screen(d, signers.get(d.txHash())));
        }

        // ---- audited writes
        if (fork != null) {
            audit.appendInTransaction(ACTOR, "CHAIN_REORG_DETECTED", payload("chainId", chainId, "previousBlock",
                    cursor.lastBlock(), "previousHash", cursor.lastHash(), "forkBlock", fork.number(), "forkHash",
                    fork.hash(), "depositsReorged", orphaned.size()));
            for (Deposit d : orphaned) {
                if (d.status().equals("CONFIRMED")) {
                    LOG.error("chain listener: CONFIRMED deposit {} (block {}) left the canonical chain in a reorg "
                            + "deeper than CONFIRMATION_BLOCKS", d.id(), d.blockNumber());
                }
                auditReorged(d, "block " + d.blockNumber() + " left the canonical chain (fork at block "
                        + fork.number() + ")");
            }
        }
        for (Verdict v : verdicts) {
            Deposit d = v.deposit();
            auditDetected(d, false);
            UUID caseId = null;
            if (v.result().verdict() != KytResult.Verdict.ALLOW) {
                // REVIEW and BLOCK: the funds are on chain already; compliance decides in its case queue, and
                // until it does the wallet's outgoing transfers are held (docs/custody-pipeline.md "Hold")
                caseId = cases.open(v.address(), "INBOUND", null, d.id(), v.result().reason(),
                        v.result().provider());
            }
            deposits.setKyt(d.id(), v.result().verdict().name(), caseId);
            audit.appendInTransaction(ACTOR, "DEPOSIT_KYT_EVALUATED", payload("depositId", d.id().toString(),
                    "walletId", d.walletId().toString(), "from", d.from(), "verdict", v.result().verdict().name(),
                    "reason", v.result().reason(), "provider", v.result().provider(), "caseId",
                    caseId == null ? null : caseId.toString()));
            if (v.result().verdict() == KytResult.Verdict.BLOCK) {
                LOG.warn("chain listener: deposit {} comes from a blocked address; case {} opened, the wallet's "
                        + "outgoing transfers are held for compliance", d.id(), caseId);
            }
        }
        for (Deposit d : revived) {
            auditDetected(d, true);
        }
        int confirmed = 0;
        int reorged = orphaned.size();
        for (Check k : applied) {
            Deposit d = k.deposit();
            if (k.confirm()) {
                confirmed++;
                audit.appendInTransaction(ACTOR, "DEPOSIT_CONFIRMED", payload("depositId", d.id().toString(),
                        "walletId", d.walletId().toString(), "txHash", d.txHash(), "logIndex", d.logIndex(), "asset",
                        d.asset(), "amount", d.amount().toString(), "blockNumber", d.blockNumber(), "blockHash",
                        d.blockHash(), "confirmations", head - d.blockNumber() + 1, "required", confirmationBlocks));
            } else {
                reorged++;
                auditReorged(d, k.reason());
            }
        }
        lag = Math.max(0, head - last);
        return new Batch(last, fresh.size() + revived.size(), confirmed, reorged, last < head && !blocks.isEmpty());
    }

    /** ETH and registered-token transfers to ACTIVE wallets in {@code blocks} (consecutive, linked by hash). */
    private List<Deposit> transfers(EthNode node, long chainId, List<ChainBlock> blocks, Instant now) {
        Map<String, UUID> wallets = walletRows.activeAddresses();
        if (wallets.isEmpty()) {
            return List.of();
        }
        Map<Long, ChainBlock> byNumber = new HashMap<>();
        blocks.forEach(b -> byNumber.put(b.number(), b));
        List<Deposit> out = new ArrayList<>();
        for (ChainBlock b : blocks) {
            for (ChainTransaction t : b.transactions()) {
                UUID wallet = t.to().map(wallets::get).orElse(null);
                if (wallet == null || t.value().signum() <= 0) {
                    continue;
                }
                ChainReceipt r = ok(node.receipt(t.hash())).orElseThrow(() -> new NodeUnavailable(
                        "no receipt for transaction " + t.hash() + " of block " + b.number()));
                if (!r.blockHash().equals(b.hash())) {
                    throw new NodeUnavailable("the receipt of " + t.hash() + " names another block than "
                            + b.number() + " " + b.hash() + " (reorg in progress?)");
                }
                if (!r.success()) {
                    continue; // a failed transaction moved no ether
                }
                out.add(new Deposit(UUID.randomUUID(), wallet, chainId, t.hash(), -1, "ETH", null, t.from(),
                        t.value(), b.number(), b.hash(), null, null, "DETECTED", now));
            }
            if (traceInternal && !b.transactions().isEmpty()) {
                for (InternalTransfer it : internalTransfers(node, b)) {
                    UUID wallet = wallets.get(it.to());
                    if (wallet != null) {
                        out.add(new Deposit(UUID.randomUUID(), wallet, chainId, it.transactionHash(),
                                -2 - it.ordinal(), "ETH", null, it.from(), it.value(), b.number(), b.hash(), null,
                                null, "DETECTED", now));
                    }
                }
            }
        }
        Map<String, TokenRepository.Token> tokens = new LinkedHashMap<>();
        tokenRows.all(chainId).forEach(t -> tokens.put(t.address(), t));
        if (tokens.isEmpty()) {
            return out; // an empty token filter would mean "every contract"
        }
        List<Erc20TransferLog> logs = ok(node.transferLogs(blocks.getFirst().number(), blocks.getLast().number(),
                wallets.keySet(), tokens.keySet()));
        for (Erc20TransferLog log : logs) {
            ChainBlock b = byNumber.get(log.blockNumber());
            if (b == null || !b.hash().equals(log.blockHash())) {
                throw new NodeUnavailable("a Transfer log names block " + log.blockNumber() + " " + log.blockHash()
                        + ", not the scanned one (reorg in progress?)");
            }
            TokenRepository.Token token = tokens.get(log.token());
            UUID wallet = wallets.get(log.to());
            if (token == null || wallet == null || log.amount().signum() <= 0) {
                continue;
            }
            out.add(new Deposit(UUID.randomUUID(), wallet, chainId, log.transactionHash(),
                    Math.toIntExact(log.logIndex()), token.symbol(), token.address(), log.from(), log.amount(),
                    b.number(), b.hash(), null, null, "DETECTED", now));
        }
        return out;
    }

    /**
     * Screens a new deposit INBOUND: its sender and, when a contract moved the funds (the transaction's signer is
     * another address), the signer too, so that routing funds through a contract does not escape screening; the
     * more severe verdict wins.
     */
    private Verdict screen(Deposit d, String signer) {
        KytResult sender = kyt.screen(d.from(), Direction.INBOUND);
        if (signer == null || signer.equals(d.from())) {
            return new Verdict(d, sender, d.from());
        }
        KytResult origin = kyt.screen(signer, Direction.INBOUND);
        if (origin.verdict().compareTo(sender.verdict()) > 0) {
            return new Verdict(d, new KytResult(origin.verdict(), "transaction signer " + signer + ": "
                    + origin.reason(), origin.provider()), signer);
        }
        return new Verdict(d, sender, d.from());
    }

    /**
     * The contract-made ETH transfers of block {@code b}; none (and no more tracing) if the node does not offer
     * {@code debug_traceBlockByHash}; any other failure stops the batch, to be retried.
     */
    private List<InternalTransfer> internalTransfers(EthNode node, ChainBlock b) {
        ChainResult<List<InternalTransfer>> traced = node.internalTransfers(b.hash(),
                b.transactions().stream().map(ChainTransaction::hash).toList());
        if (traced instanceof ChainResult.Failed<List<InternalTransfer>> f
                && f.failure().kind() == ChainFailure.Kind.NODE_ERROR
                && f.failure().code() == EthNode.METHOD_NOT_FOUND) {
            traceInternal = false;
            LOG.warn("chain listener: the node does not offer debug_traceBlockByHash; ETH sent to wallets by "
                    + "contracts is not recorded as a deposit (it still shows in balances). Use a node with the "
                    + "debug API, or set BANK_TRACE_INTERNAL_TRANSFERS=false to silence this.");
            return List.of();
        }
        return ok(traced);
    }

    /**
     * DETECTED deposits with enough confirmations at {@code head} (and at or below {@code belowFork}): CONFIRMED when
     * the canonical block at their height is still theirs and the receipt is in it; REORGED when the block changed.
     * A node that answers inconsistently (the block is theirs but the receipt is not there yet) leaves them DETECTED.
     */
    private List<Check> confirmationChecks(EthNode node, long chainId, long head, long belowFork) {
        long maxBlock = Math.min(head - confirmationBlocks + 1, belowFork);
        if (maxBlock < 0) {
            return List.of();
        }
        Map<Long, Optional<ChainBlock>> canonical = new HashMap<>();
        List<Check> out = new ArrayList<>();
        for (Deposit d : deposits.detectedUpTo(chainId, maxBlock)) {
            Optional<ChainBlock> b = canonical.computeIfAbsent(d.blockNumber(), n -> block(node, n));
            if (b.isEmpty() || d.blockHash() != null && !b.get().hash().equals(d.blockHash())) {
                out.add(new Check(d, false, "the canonical block at " + d.blockNumber() + " is now "
                        + b.map(ChainBlock::hash).orElse("absent") + ", not " + d.blockHash()));
                continue;
            }
            Optional<ChainReceipt> r = ok(node.receipt(d.txHash()));
            if (r.isPresent() && r.get().blockHash().equals(b.get().hash()) && r.get().success()) {
                out.add(new Check(d, true, null));
            } else {
                LOG.warn("chain listener: deposit {} in canonical block {} but the node's receipt disagrees; "
                        + "checking again next round", d.id(), d.blockNumber());
            }
        }
        return out;
    }

    /** Walks back over the kept block hashes to the newest one still canonical. */
    private Fork findFork(EthNode node, long chainId, Cursor cursor) {
        List<SeenBlock> seen = deposits.blocksAtOrBelow(chainId, cursor.lastBlock() - 1, KEPT_BLOCKS);
        for (SeenBlock s : seen) {
            Optional<ChainBlock> b = block(node, s.number());
            if (b.isPresent() && b.get().hash().equals(s.hash())) {
                return new Fork(s.number(), s.hash());
            }
        }
        long start = (seen.isEmpty() ? cursor.lastBlock() : seen.getLast().number()) - 1;
        LOG.error("chain listener: reorg deeper than the {} kept block hashes below block {}; rescanning from {}",
                KEPT_BLOCKS, cursor.lastBlock(), start + 1);
        if (start < 0) {
            return new Fork(-1, null);
        }
        return new Fork(start, block(node, start).orElseThrow(() -> new NodeUnavailable("the node has no block "
                + start)).hash());
    }

    private void auditDetected(Deposit d, boolean again) throws SQLException {
        audit.appendInTransaction(ACTOR, "DEPOSIT_DETECTED", payload("depositId", d.id().toString(), "walletId",
                d.walletId().toString(), "chainId", d.chainId(), "txHash", d.txHash(), "logIndex", d.logIndex(),
                "asset", d.asset(), "token", d.tokenAddress(), "from", d.from(), "amount", d.amount().toString(),
                "blockNumber", d.blockNumber(), "blockHash", d.blockHash(), "again", again));
    }

    private void auditReorged(Deposit d, String reason) throws SQLException {
        audit.appendInTransaction(ACTOR, "DEPOSIT_REORGED", payload("depositId", d.id().toString(), "walletId",
                d.walletId().toString(), "txHash", d.txHash(), "logIndex", d.logIndex(), "blockNumber", d.blockNumber(),
                "blockHash", d.blockHash(), "previousStatus", d.status(), "reason", reason));
    }

    private static Optional<ChainBlock> block(EthNode node, long n) {
        return ok(node.block(n));
    }

    private static <T> T ok(ChainResult<T> r) {
        return switch (r) {
            case ChainResult.Ok<T> ok -> ok.value();
            case ChainResult.Failed<T> f -> throw new NodeUnavailable(f.failure().toString());
        };
    }

    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }

    /** The node failed or was inconsistent: the batch rolls back; the message names no URL or secret. */
    private static final class NodeUnavailable extends RuntimeException {
        NodeUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
