package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One inbound transfer the bank recorded ({@code GET /v1/wallets/{id}/deposits}): amounts in base units, {@code token}
 * the contract (null for ETH), {@code logIndex} and {@code blockNumber} null when the bank does not say.
 */
public record Deposit(String id, String txHash, Integer logIndex, String asset, String token, String from,
        String amount, Long blockNumber, String kytVerdict, String kytCaseId, String status, String createdAt) {

    static Deposit of(JsonNode n) {
        JsonNode li = n.get("logIndex");
        JsonNode bn = n.get("blockNumber");
        return new Deposit(Json.optText(n, "id"), Json.optText(n, "txHash"),
                li == null || li.isNull() ? null : li.asInt(), Json.optText(n, "asset"), Json.optText(n, "token"),
                Json.optText(n, "from"), Json.optText(n, "amount"), bn == null || bn.isNull() ? null : bn.asLong(),
                Json.optText(n, "kytVerdict"), Json.optText(n, "kytCaseId"), Json.optText(n, "status"),
                Json.optText(n, "createdAt"));
    }
}
