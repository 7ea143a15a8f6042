package org.mpcwallet.signer.gateway;

import java.util.Objects;

/**
 * Public facts about a keyset as the signer reports them.
 *
 * @param keysetId     the keyset
 * @param epoch        share epoch (0 after keygen, +1 per refresh)
 * @param publicKeyHex the joint public key Q, SEC1 uncompressed (04 || x || y), 130 lowercase hex characters
 * @param locked       whether the key refuses to sign after a failed signature
 */
public record GatewayKeyset(String keysetId, int epoch, String publicKeyHex, boolean locked) {
    public GatewayKeyset {
        Objects.requireNonNull(keysetId, "keysetId");
        Objects.requireNonNull(publicKeyHex, "publicKeyHex");
        if (!publicKeyHex.matches("04[0-9a-f]{128}")) {
            throw new IllegalArgumentException("public key must be SEC1 uncompressed lowercase hex");
        }
    }
}
