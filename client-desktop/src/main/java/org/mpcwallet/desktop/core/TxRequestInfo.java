package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.CosignReview;
import org.mpcwallet.crypto.device.KnownTokens;

/**
 * A transaction request of the custody pipeline (docs/custody-pipeline.md, {@code /v1/tx-requests}) as the bank
 * shows it. Amounts and integers are decimal strings; {@code signRequestId} is set while the request waits for the
 * device's co-signature (SIGN_PENDING).
 */
public record TxRequestInfo(String id, String walletId, String status, String asset, String tokenAddress, String to,
        String amount, String note, String createdBy, String kytVerdict, String kytCaseId, String policyResult,
        int requiredApprovals, List<Vote> votes, String chainId, String nonce, String signRequestId, String txHash,
        String blockNumber, int confirmations, int broadcastAttempts, String lastError, String createdAt,
        String updatedAt, String kind, String sweepToWallet) {

    /** Statuses after which nothing changes any more. */
    public static final List<String> TERMINAL = List.of("KYT_BLOCKED", "POLICY_BLOCKED", "REJECTED", "FAILED_SIGN",
            "FINALIZED");

    /** One vote: who (id, and the user name when the bank sends it), the decision, the comment, when. */
    public record Vote(String userId, String username, String decision, String comment, String at) {}

    public TxRequestInfo {
        votes = votes == null ? List.of() : List.copyOf(votes);
    }

    public boolean terminal() {
        return TERMINAL.contains(status);
    }

    /** APPROVE votes so far. */
    public int approvals() {
        return (int) votes.stream().filter(v -> "APPROVE".equals(v.decision())).count();
    }

    static TxRequestInfo of(JsonNode n) {
        String what = "the bank's transaction request";
        List<Vote> votes = new ArrayList<>();
        JsonNode vs = n.get("votes");
        if (vs != null && vs.isArray()) {
            for (JsonNode v : vs) {
                votes.add(new Vote(Json.optText(v, "userId"), Json.optText(v, "username"),
                        Json.optText(v, "decision"), Json.optText(v, "comment"), Json.optText(v, "at")));
            }
        }
        return new TxRequestInfo(Json.text(n, "id", what), Json.text(n, "walletId", what), Json.text(n, "status", what),
                Json.optText(n, "asset"), Json.optText(n, "tokenAddress"), Json.optText(n, "to"),
                Json.optText(n, "amount"), Json.optText(n, "note"), Json.optText(n, "createdBy"),
                Json.optText(n, "kytVerdict"), Json.optText(n, "kytCaseId"), Json.optText(n, "policyResult"),
                n.path("requiredApprovals").asInt(0), votes, Json.optText(n, "chainId"), Json.optText(n, "nonce"),
                Json.optText(n, "signRequestId"), Json.optText(n, "txHash"), Json.optText(n, "blockNumber"),
                n.path("confirmations").asInt(0), n.path("broadcastAttempts").asInt(0), Json.optText(n, "lastError"),
                Json.optText(n, "createdAt"), Json.optText(n, "updatedAt"),
                n.hasNonNull("kind") ? Json.optText(n, "kind") : "TRANSFER", Json.optText(n, "sweepToWallet"));
    }

    /** The sweep of a rotated wallet into its successor {@link #sweepToWallet} (docs/key-rotation.md). */
    public boolean sweep() {
        return "SWEEP".equals(kind) && sweepToWallet != null;
    }

    /** The transfer as the co-sign dialog names it ({@link CosignReview}). */
    public CosignReview.Asked asked() {
        return new CosignReview.Asked(id, note, to, amount, asset, tokenAddress);
    }

    /**
     * The transfer as the shared co-sign queue reads it ({@code CosignQueue}): what the user asked for, and how its
     * amount is shown (a token in units only when the device pins it, {@code KnownTokens}; else in base units: the
     * device does not take a token's decimals from the bank).
     */
    public CosignQueue.Transfer forCosignQueue() {
        CosignCheck.Transfer asked = new CosignCheck.Transfer(walletId, to, new BigInteger(amount), tokenAddress,
                chainId == null ? null : new BigInteger(chainId));
        CosignCheck.Asset shownAs = tokenAddress == null ? CosignCheck.Asset.ETH
                : KnownTokens.asset(asked.chainId(), tokenAddress, asset);
        return new CosignQueue.Transfer(id, status, signRequestId, approvals(), requiredApprovals, lastError, asked,
                shownAs);
    }

    /** The CLI's JSON form (docs/client-desktop.md "Commands"). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("id", id).put("walletId", walletId).put("status", status).put("asset", asset)
                .put("tokenAddress", tokenAddress).put("to", to).put("amount", amount).put("note", note)
                .put("createdBy", createdBy).put("kytVerdict", kytVerdict).put("kytCaseId", kytCaseId)
                .put("policyResult", policyResult).put("requiredApprovals", requiredApprovals)
                .put("approvals", approvals());
        ArrayNode a = o.putArray("votes");
        for (Vote v : votes) {
            a.addObject().put("userId", v.userId()).put("username", v.username()).put("decision", v.decision())
                    .put("comment", v.comment())
                    .put("at", v.at());
        }
        return o.put("chainId", chainId).put("nonce", nonce).put("signRequestId", signRequestId).put("txHash", txHash)
                .put("blockNumber", blockNumber).put("confirmations", confirmations)
                .put("broadcastAttempts", broadcastAttempts).put("lastError", lastError).put("createdAt", createdAt)
                .put("updatedAt", updatedAt).put("kind", kind).put("sweepToWallet", sweepToWallet);
    }
}
