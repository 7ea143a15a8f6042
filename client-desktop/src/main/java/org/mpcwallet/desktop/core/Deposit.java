package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;

/** One inbound transfer the bank recorded ({@code GET /v1/wallets/{id}/deposits}); amounts in base units. */
public record Deposit(String id, String txHash, String logIndex, String asset, String from, String amount,
        String blockNumber, String kytVerdict, String kytCaseId, String status, String createdAt) {

    static Deposit of(JsonNode n) {
        return new Deposit(Json.optText(n, "id"), Json.optText(n, "txHash"), Json.optText(n, "logIndex"),
                Json.optText(n, "asset"), Json.optText(n, "from"), Json.optText(n, "amount"),
                Json.optText(n, "blockNumber"), Json.optText(n, "kytVerdict"), Json.optText(n, "kytCaseId"),
                Json.optText(n, "status"), Json.optText(n, "createdAt"));
    }
}
