package org.mpcwallet.bank.pipeline.transfer.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.pipeline.transfer.app.TxRequestService;
import org.mpcwallet.bank.pipeline.transfer.domain.TxRequest;
import org.mpcwallet.bank.pipeline.transfer.persistence.ApprovalRepository.Vote;

/** A transaction request as {@code /v1/tx-requests} answers it (docs/custody-pipeline.md), with its votes. */
@Serdeable
public record TxResponse(String id, String walletId, String status, String asset, @Nullable String tokenAddress,
                         String to, String amount, @Nullable String note, String createdBy, @Nullable String kytVerdict,
                         @Nullable String kytCaseId, @Nullable String policyResult, int requiredApprovals,
                         @Nullable List<VoteResponse> votes, @Nullable String chainId, @Nullable String nonce,
                         @Nullable String signRequestId, @Nullable String txHash, @Nullable Long blockNumber,
                         int confirmations, int broadcastAttempts, @Nullable String lastError, String createdAt,
                         String updatedAt, String kind, @Nullable String sweepToWallet) {

    /** One vote as the API shows it: who (id and user name), the decision, the comment. */
    @Serdeable
    public record VoteResponse(String userId, String username, String decision, @Nullable String comment,
                               String at) {
    }

    public static TxResponse of(TxRequestService.View v) {
        TxResponse t = of(v.request(), v.votes());
        return v.sweepTo() == null ? t : new TxResponse(t.id, t.walletId, t.status, t.asset, t.tokenAddress, t.to,
                t.amount, t.note, t.createdBy, t.kytVerdict, t.kytCaseId, t.policyResult, t.requiredApprovals,
                t.votes, t.chainId, t.nonce, t.signRequestId, t.txHash, t.blockNumber, t.confirmations,
                t.broadcastAttempts, t.lastError, t.createdAt, t.updatedAt, "SWEEP", v.sweepTo().toString());
    }

    static TxResponse of(TxRequest r, List<Vote> votes) {
        return new TxResponse(r.id().toString(), r.walletId().toString(), r.status().name(), r.asset(),
                r.tokenAddress(), r.toAddress(), r.amount().toString(), r.note(), r.createdBy().toString(),
                r.kytVerdict(), s(r.kytCaseId()), r.policyResult(), r.requiredApprovals(),
                votes == null ? null : votes.stream().map(v -> new VoteResponse(v.userId().toString(),
                        v.username(), v.decision(), v.comment(), v.at().toString())).toList(), s(r.chainId()), s(r.nonce()),
                s(r.signRequestId()), r.txHashHex(), r.blockNumber(), r.confirmations(), r.broadcastAttempts(),
                r.lastError(), r.createdAt().toString(), r.updatedAt().toString(), "TRANSFER", null);
    }

    private static String s(Object o) {
        return o == null ? null : o.toString();
    }
}
