package org.mpcwallet.desktop.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;

/** A sign request (docs/mpc-channel.md "Sign requests"): the transfer's fields and the bank's signing hash. */
public record SignRequest(String id, String walletId, String status, TxFields fields, String signingHash,
        String createdAt, String expiresAt, String createdBy, String rawTransaction, String txHash, String failure) {

    /** The request as the shared co-sign queue reads it; expired by the device's clock {@code now}. */
    public CosignQueue.SignRequest forCosignQueue(Instant now) {
        boolean expired;
        try {
            expired = expiresAt != null && Instant.parse(expiresAt).isBefore(now);
        } catch (RuntimeException e) {
            expired = false;
        }
        TxFields f = fields;
        return new CosignQueue.SignRequest(id, walletId, status, expired, new CosignCheck.Fields(f.type(), f.chainId(),
                f.nonce(), f.maxPriorityFeePerGas(), f.maxFeePerGas(), f.gasPrice(), f.gasLimit(), f.to(), f.valueWei(),
                f.data()), signingHash);
    }

    static SignRequest of(JsonNode n) {
        String what = "the bank's sign request";
        TxFields f = new TxFields(Json.text(n, "type", what), Json.text(n, "chainId", what),
                Json.text(n, "nonce", what), Json.optText(n, "maxPriorityFeePerGas"), Json.optText(n, "maxFeePerGas"),
                Json.optText(n, "gasPrice"), Json.text(n, "gasLimit", what), Json.text(n, "to", what),
                Json.text(n, "valueWei", what), Json.optText(n, "data"));
        return new SignRequest(Json.text(n, "id", what), Json.text(n, "walletId", what), Json.text(n, "status", what),
                f, Json.text(n, "signingHash", what), Json.optText(n, "createdAt"), Json.optText(n, "expiresAt"),
                Json.optText(n, "createdBy"), Json.optText(n, "rawTransaction"), Json.optText(n, "txHash"),
                Json.optText(n, "failure"));
    }
}
