package org.mpcwallet.bank.pipeline.transfer.app;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.chain.ChainFailure;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.FeeOracle;
import org.mpcwallet.bank.mpc.app.SignRequestService;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.mpc.event.CosignRequested;
import org.mpcwallet.bank.mpc.event.SignRequestCompleted;
import org.mpcwallet.bank.pipeline.ChainAccess;
import org.mpcwallet.bank.pipeline.transfer.domain.TxEvent;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.persistence.NonceAllocationRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.SweepRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository;
import org.mpcwallet.bank.pipeline.transfer.persistence.TxRequestRepository.Change;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * The pipeline's signing step (docs/custody-pipeline.md "Signing"): at SIGN_PENDING, the sign request prepared (gas
 * estimated, the nonce reserved once per request, fees quoted, the transaction built; node answers from
 * {@link NodeFacts}) and followed (SIGNED, a locked key, failed sessions, expiry); the owner's devices are told once
 * the step committed ({@code afterCommit}).
 */
@Singleton
class SigningSteps {
    static final String ACTOR = PipelineWorker.ACTOR;

    private final WalletService wallets;
    private final SignRequestService signRequests;
    private final ApplicationEventPublisher<CosignRequested> cosignRequests;
    private final Transitions transitions;
    private final ChainAccess chain;
    private final AuditLog audit;
    private final JsonMapper json;
    private final TxRequestRepository requests;
    private final NonceAllocationRepository nonces;
    private final SweepRepository sweeps;

    SigningSteps(WalletService wallets, SignRequestService signRequests,
                 ApplicationEventPublisher<CosignRequested> cosignRequests, Transitions transitions, ChainAccess chain,
                 AuditLog audit, JsonMapper json, TxRequestRepository requests, NonceAllocationRepository nonces,
                 SweepRepository sweeps) {
        this.wallets = wallets;
        this.signRequests = signRequests;
        this.cosignRequests = cosignRequests;
        this.transitions = transitions;
        this.chain = chain;
        this.audit = audit;
        this.json = json;
        this.requests = requests;
        this.nonces = nonces;
        this.sweeps = sweeps;
    }

    // ---- signing

    boolean signing(TxRequest r, Instant now, NodeFacts node, List<Runnable> afterCommit)
            throws SQLException {
        if (!chain.configured()) {
            return Steps.later(requests, r, "no Ethereum node configured (ETH_RPC_URL)", 30);
        }
        if (r.signRequestId() == null) {
            return prepareSignRequest(r, now, r.signFailures(), node, afterCommit);
        }
        Optional<SignRequest> sr = signRequests.findById(r.signRequestId());
        if (sr.isEmpty()) {
            return prepareSignRequest(r, now, r.signFailures(), node, afterCommit);
        }
        SignRequest s = sr.get();
        switch (s.status()) {
            case SIGNED -> {
                return transitions.apply(r, new TxEvent.SignatureReady(), now, ACTOR,
                        Change.rawTransaction(s.rawTransaction()), Change.txHash(s.txHash()));
            }
            case FAILED -> {
                if ("KEY_LOCKED".equals(s.failure())) {
                    return transitions.apply(r, new TxEvent.KeyLocked(), now, ACTOR,
                            Change.lastError("the wallet's key is locked after a failed signature"));
                }
                int failures = r.signFailures() + 1;
                return signFailed(r, now, failures, "sign request failed: " + s.failure());
            }
            default -> {
                int failed = signRequests.failedSessions(s.id());
                if (failed >= org.mpcwallet.bank.pipeline.transfer.domain.TxRequestMachine.MAX_SIGN_FAILURES) {
                    return signFailed(r, now, failed, failed + " co-signing sessions failed");
                }
                if (s.expired(now)) {
                    TxEvent e = new TxEvent.SignTimedOut();
                    if (transitions.apply(r, e, now, ACTOR)) {
                        TxRequest again = requests.find(r.id(), false).orElseThrow();
                        prepareSignRequest(again, now, again.signFailures(), node, afterCommit);
                        return true;
                    }
                    return false;
                }
                // the channel's SignRequestCompleted event makes the transfer due as soon as a session ends; this
                // round is the fallback (a lost event) and notices the request's expiry
                long untilExpiry = java.time.Duration.between(now, s.expiresAt()).toSeconds() + 1;
                return Steps.later(requests, r, null,
                        (int) Math.max(1, Math.min(SIGN_PENDING_RECHECK_SECONDS, untilExpiry)));
            }
        }
    }

    /** How long a SIGN_PENDING transfer waits for its next look when no co-signing session ends. */
    static final int SIGN_PENDING_RECHECK_SECONDS = 10;

    private boolean signFailed(TxRequest r, Instant now, int failures, String why) throws SQLException {
        boolean moved = transitions.apply(r, new TxEvent.SignFailed(Math.max(1, failures)), now, ACTOR,
                Change.signFailures(failures), Change.lastError(Steps.clip(why)), Change.signRequestId(null));
        return moved;
    }

    /** Reserves the nonce (once per request), prices and builds the transaction, opens a sign request. */
    private boolean prepareSignRequest(TxRequest r, Instant now, int failures, NodeFacts node,
                                       List<Runnable> afterCommit)
            throws SQLException {
        Wallet w = wallets.find(r.walletId());
        if (wallets.keysetLocked(w.keysetId())
                && sweeps.sweepTarget(r.id()).isEmpty()) {
            // a locked key signs only its sweep: no nonce is reserved and no device is asked
            return transitions.apply(r, new TxEvent.KeyLocked(), now, ACTOR,
                    Change.lastError("the wallet's key is locked after a failed signature"));
        }
        String from = w.address();
        BigInteger chainId = BigInteger.valueOf(node.chainId());
        EthAddress to;
        BigInteger value;
        byte[] data;
        if (r.tokenAddress() == null) {
            to = EthAddress.parse(r.toAddress());
            value = r.amount();
            data = new byte[0];
        } else {
            to = EthAddress.parse(r.tokenAddress());
            value = BigInteger.ZERO;
            data = Erc20.transferCalldata(EthAddress.parse(r.toAddress()), r.amount());
        }
        // the gas is estimated before a nonce is reserved: a transfer the node refuses reserves none
        ChainResult<BigInteger> estimate = node.estimateGas(from, to.toLowerHex(), value,
                "0x" + HexFormat.of().formatHex(data));
        if (estimate instanceof ChainResult.Failed<BigInteger> refused
                && refused.failure().kind() == ChainFailure.Kind.NODE_ERROR) {
            // the node understood the transfer and refuses it (it reverts, or the wallet cannot pay value and gas):
            // the same transfer will not succeed by retrying forever (issue 10 §5); after MAX_SIGN_FAILURES such
            // refusals the request ends FAILED_SIGN with the node's reason
            return signFailed(r, now, r.signFailures() + 1, "the node refused the transfer when estimating its "
                    + "gas: " + refused.failure().message());
        }
        BigInteger gas = Steps.value(estimate, "gas estimate");
        BigInteger nonce = r.nonce() != null ? r.nonce()
                : nonces.reserve(chainId, from, () -> Steps.value(node.pendingNonce(from), "nonce"));
        FeeOracle.FeeQuote quote = node.feeQuote();
        if (!(quote instanceof FeeOracle.FeeQuote.Quoted q)) {
            return Steps.later(requests, r, "fees: " + quote, 10, Change.nonce(nonce), Change.chainId(chainId));
        }
        gas = gas.multiply(BigInteger.valueOf(12)).divide(BigInteger.TEN); // 20 % headroom
        FeeOracle.Fees fees = q.fees();
        // a node without EIP-1559 (no base fee) gets a legacy EIP-155 transaction at the quoted gas price
        EthTransaction tx = fees.legacy()
                ? new LegacyTransaction(chainId, nonce, fees.maxFeePerGas(), gas, to, value, data)
                : new Eip1559Transaction(chainId, nonce, fees.maxPriorityFeePerGas(), fees.maxFeePerGas(), gas, to,
                        value, data);
        SignRequest s = signRequests.createForTxRequest(r.walletId(), tx, r.id(), r.createdBy());
        requests.update(r, r.status(), now.plusSeconds(2), Change.chainId(chainId), Change.nonce(nonce),
                Change.txType(tx.type()), Change.maxFeePerGas(fees.legacy() ? null : fees.maxFeePerGas()),
                Change.maxPriorityFeePerGas(fees.legacy() ? null : fees.maxPriorityFeePerGas()),
                Change.gasPrice(fees.legacy() ? fees.maxFeePerGas() : null), Change.gasLimit(gas),
                Change.signRequestId(s.id()), Change.signFailures(failures));
        audit.appendInTransaction(ACTOR, "COSIGN_REQUESTED", AuditPayload.of(json, "txRequestId", r.id().toString(),
                "requestId", s.id().toString(), "type", tx.type().name(), "nonce", nonce.toString(),
                fees.legacy() ? "gasPrice" : "maxFeePerGas", fees.maxFeePerGas().toString(), "gasLimit",
                gas.toString(), "signingHash", HexFormat.of().formatHex(s.signingHash())));
        // delivered on another thread: the worker never waits for a device connection
        afterCommit.add(() -> cosignRequests.publishEventAsync(new CosignRequested(r.walletId(), r.id(), s.id())));
        return true;
    }

}
