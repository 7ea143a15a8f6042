package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/wallets/{id}/balances}: the wallet's on-chain balances in base units. */
public record Balances(String walletId, String address, List<Balance> balances) {

    /** One asset: {@code token} is the contract address (null for ETH). */
    public record Balance(String asset, String amount, int decimals, String token) {}

    public Balances {
        balances = List.copyOf(balances);
    }

    static Balances of(JsonNode n) {
        String what = "the bank's balances";
        JsonNode arr = n.get("balances");
        if (arr == null || !arr.isArray()) {
            throw new WalletException(what + ": field 'balances' is missing or not an array");
        }
        List<Balance> out = new ArrayList<>();
        for (JsonNode b : arr) {
            out.add(new Balance(Json.text(b, "asset", what), Json.optText(b, "amount"), b.path("decimals").asInt(18),
                    Json.optText(b, "token")));
        }
        return new Balances(Json.optText(n, "walletId"), Json.optText(n, "address"), out);
    }
}
