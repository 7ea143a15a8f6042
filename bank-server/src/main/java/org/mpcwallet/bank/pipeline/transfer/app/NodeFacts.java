package org.mpcwallet.bank.pipeline.transfer.app;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.mpcwallet.bank.chain.BroadcastResult;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.FeeOracle;
import org.mpcwallet.bank.chain.ReceiptCheck;
import org.mpcwallet.bank.pipeline.ChainAccess;

/**
 * The Ethereum node's answers a pipeline step uses, fetched before the step's transaction (docs/redesign.md step 3:
 * no network call while a database transaction or row lock is open). A step asks for an answer it does not have
 * yet by throwing {@link Needed}: the worker rolls the transaction back, makes the call with no transaction open,
 * and runs the step again in a new transaction with the answer. A step asks for the same calls as long as the
 * request's row is the same, so its final transaction commits with every answer at hand; a broadcast happens
 * before the transaction that records it, as before (a crash in between is recognised by the transaction's hash).
 */
final class NodeFacts {

    /** One node call, with its arguments (records: equal calls are one fact). */
    sealed interface Call {
        Object perform(ChainAccess chain);
    }

    record ChainId() implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.chainId();
        }
    }

    record EstimateGas(String from, String to, BigInteger value, String data) implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.node().estimateGas(from, to, value, data);
        }
    }

    record PendingNonce(String from) implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.node().pendingNonce(from);
        }
    }

    record FeeQuote() implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.fees().quote();
        }
    }

    record Broadcast(String raw, String hash) implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.broadcaster().send(raw, hash);
        }

        @Override
        public String toString() {
            return "Broadcast[" + hash + "]";
        }
    }

    record Receipt(String hash) implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.node().receipt(hash);
        }
    }

    record Recheck(String hash) implements Call {
        @Override
        public Object perform(ChainAccess chain) {
            return chain.receipts().recheck(hash);
        }
    }

    /** Thrown by a step for an answer it does not have yet (no stack trace: it is control flow). */
    static final class Needed extends RuntimeException {
        final Call call;

        Needed(Call call) {
            super(call.toString(), null, false, false);
            this.call = call;
        }
    }

    private final Map<Call, Object> answers = new HashMap<>();

    /** Facts for one step; the chain id, once known, is one of them from the start (it never changes). */
    NodeFacts(java.util.OptionalLong knownChainId) {
        knownChainId.ifPresent(id -> answers.put(new ChainId(), id));
    }

    /** Makes the call (with no transaction open) and keeps its answer. */
    void fetch(Call call, ChainAccess chain) {
        answers.put(call, call.perform(chain));
    }

    /**
     * Makes the call and the ones a step asking for it goes on to ask for, in the same gap between its attempts: a
     * gas estimate is followed by the sender's pending nonce and the fee quote (building a transaction to sign), so
     * preparing a sign request takes two transactions instead of four.
     */
    void fetchWithCompanions(Call call, ChainAccess chain) {
        fetch(call, chain);
        if (call instanceof EstimateGas e) {
            for (Call next : new Call[] {new PendingNonce(e.from()), new FeeQuote()}) {
                if (!answers.containsKey(next)) {
                    fetch(next, chain);
                }
            }
        }
    }

    int size() {
        return answers.size();
    }

    long chainId() {
        return (Long) answer(new ChainId());
    }

    @SuppressWarnings("unchecked")
    ChainResult<BigInteger> estimateGas(String from, String to, BigInteger value, String data) {
        return (ChainResult<BigInteger>) answer(new EstimateGas(from, to, value, data));
    }

    @SuppressWarnings("unchecked")
    ChainResult<BigInteger> pendingNonce(String from) {
        return (ChainResult<BigInteger>) answer(new PendingNonce(from));
    }

    FeeOracle.FeeQuote feeQuote() {
        return (FeeOracle.FeeQuote) answer(new FeeQuote());
    }

    BroadcastResult broadcast(String raw, String hash) {
        return (BroadcastResult) answer(new Broadcast(raw, hash));
    }

    @SuppressWarnings("unchecked")
    ChainResult<Optional<ChainReceipt>> receipt(String hash) {
        return (ChainResult<Optional<ChainReceipt>>) answer(new Receipt(hash));
    }

    ReceiptCheck.Status recheck(String hash) {
        return (ReceiptCheck.Status) answer(new Recheck(hash));
    }

    private Object answer(Call call) {
        if (!answers.containsKey(call)) {
            throw new Needed(call);
        }
        return answers.get(call);
    }
}
