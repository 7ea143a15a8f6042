package org.mpcwallet.web.wallet;

import static org.mpcwallet.web.wallet.DeviceJson.need;
import static org.mpcwallet.web.wallet.DeviceJson.object;
import static org.mpcwallet.web.wallet.DeviceJson.text;

import java.math.BigInteger;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.CosignReview;
import org.mpcwallet.crypto.device.KnownTokens;

/**
 * The co-sign decision {@link DeviceCore#review} and {@link DeviceCore#beginCosign} share: the bank's transfer and
 * sign request (JSON, as its REST API returns them) read strictly into shared-crypto's co-sign check, the
 * transaction rebuilt and its hash recomputed by the co-sign queue, and the review the user reads. Exactly one of
 * {@code problem} (the request could not be read), a refusal ({@code review} with {@code mayCoSign} false) or a
 * {@link CosignQueue.Decision.CoSign} with its matching review. Holds public values only, no share and no secret.
 */
record CosignDecision(String problem, CosignQueue.Decision decision, CosignReview review) {
    static CosignDecision decide(String transferJson, String signRequestJson) {
        Json.Obj t = object(transferJson);
        Json.Obj s = object(signRequestJson);
        if (t == null || s == null) {
            return new CosignDecision("the transfer and its sign request must be JSON objects", null, null);
        }
        CosignQueue.Transfer transfer;
        CosignQueue.SignRequest request;
        CosignReview.Asked asked;
        try {
            String tokenAddress = text(t, "tokenAddress");
            String chainId = text(t, "chainId");
            CosignCheck.Transfer what = new CosignCheck.Transfer(need(t, "walletId"), need(t, "to"),
                    new BigInteger(need(t, "amount")), tokenAddress, chainId == null ? null : new BigInteger(chainId));
            CosignCheck.Asset shownAs = tokenAddress == null ? CosignCheck.Asset.ETH
                    : KnownTokens.asset(what.chainId(), tokenAddress, text(t, "asset"));
            transfer = new CosignQueue.Transfer(need(t, "id"), need(t, "status"), text(t, "signRequestId"), 0, 0,
                    text(t, "lastError"), what, shownAs);
            asked = new CosignReview.Asked(need(t, "id"), text(t, "note"), need(t, "to"), need(t, "amount"),
                    text(t, "asset"), tokenAddress);
            request = new CosignQueue.SignRequest(need(s, "id"), need(s, "walletId"), need(s, "status"), false,
                    new CosignCheck.Fields(need(s, "type"), need(s, "chainId"), need(s, "nonce"),
                            text(s, "maxPriorityFeePerGas"), text(s, "maxFeePerGas"), text(s, "gasPrice"),
                            need(s, "gasLimit"), need(s, "to"), need(s, "valueWei"), text(s, "data")),
                    need(s, "signingHash"));
        } catch (IllegalArgumentException e) {
            return new CosignDecision(e.getMessage(), null, null);
        }
        if (!request.id().equals(transfer.signRequestId())) {
            return new CosignDecision(null, null, CosignReview.refused("the bank's sign request " + request.id()
                    + " is not the one of transfer " + transfer.id(), asked));
        }
        CosignQueue queue = new CosignQueue(transfer.id(), 0, CosignCheck.FeeCeiling.NONE);
        CosignQueue.Decision decision = queue.onSignRequest(transfer, request, false);
        if (decision instanceof CosignQueue.Decision.CoSign c) {
            return new CosignDecision(null, c, CosignReview.matching(c.review(), asked));
        }
        if (decision instanceof CosignQueue.Decision.Refuse r) {
            return new CosignDecision(null, r, CosignReview.refused(r.reason(), asked));
        }
        return new CosignDecision(null, decision, CosignReview.refused("sign request " + request.id() + " is "
                + request.status() + "; there is nothing to co-sign now", asked));
    }
}
