package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;

/** A wallet as the bank shows it (docs/bank-server.md "Wallets"); {@code address} is null before keygen. */
public record WalletInfo(String id, String name, String type, String riskProfile, String status, String address) {
    static WalletInfo of(JsonNode n) {
        String what = "the bank's wallet";
        return new WalletInfo(Json.text(n, "id", what), Json.optText(n, "name"), Json.optText(n, "type"),
                Json.optText(n, "riskProfile"), Json.text(n, "status", what), Json.optText(n, "address"));
    }
}
