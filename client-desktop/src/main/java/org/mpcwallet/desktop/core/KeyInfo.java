package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A wallet's key as the bank shows it ({@code GET /v1/wallets/{id}/mpc}): the public key (04 || x || y hex, null
 * before keygen), whether it is locked after a failed signature, and the key's epoch (null when the bank cannot
 * tell, e.g. a signer whose tables it does not read).
 */
public record KeyInfo(String walletId, String status, String publicKey, boolean locked, Long epoch) {
    static KeyInfo of(JsonNode n) {
        String what = "the bank's key information";
        JsonNode locked = n.get("locked");
        if (locked == null || !locked.isBoolean()) {
            throw new WalletException(what + ": field 'locked' is missing or not a boolean");
        }
        JsonNode epoch = n.get("epoch");
        if (epoch != null && !epoch.isNull() && !epoch.isIntegralNumber()) {
            throw new WalletException(what + ": field 'epoch' is not an integer");
        }
        String pub = Json.optText(n, "publicKey");
        return new KeyInfo(Json.text(n, "walletId", what), Json.text(n, "status", what),
                pub == null ? null : pub.toLowerCase(java.util.Locale.ROOT), locked.asBoolean(),
                epoch == null || epoch.isNull() ? null : epoch.asLong());
    }
}
