package org.mpcwallet.signer.gateway;

import java.util.Objects;

/**
 * Public facts about a keyset as the signer reports them.
 *
 * @param keysetId     the keyset
 * @param epoch        share epoch (0 after keygen, +1 per refresh)
 * @param publicKeyHex the joint public key Q, SEC1 uncompressed (04 || x || y), 130 lowercase hex characters
 * @param locked       whether the key refuses to sign after a failed signature
 * @param retired      whether the key is retired for good (its sweep is done; docs/key-rotation.md)
 * @param sweepTo      for a locked key being rotated: the only address it may still pay (lowercase), else null
 * @param sweepsLeft   sweep signatures still allowed (0 without a sweep authorization)
 */
public record GatewayKeyset(String keysetId, int epoch, String publicKeyHex, boolean locked, boolean retired,
        String sweepTo, int sweepsLeft) {
    public GatewayKeyset(String keysetId, int epoch, String publicKeyHex, boolean locked) {
        this(keysetId, epoch, publicKeyHex, locked, false, null, 0);
    }

    public GatewayKeyset {
        if (sweepTo != null && !sweepTo.matches("0x[0-9a-f]{40}")) {
            throw new IllegalArgumentException("sweep target must be a lowercase 0x address");
        }
        if (sweepsLeft < 0 || (sweepTo == null && (sweepsLeft != 0 || retired)) || (retired && !locked)) {
            throw new IllegalArgumentException("inconsistent sweep state");
        }
        Objects.requireNonNull(keysetId, "keysetId");
        Objects.requireNonNull(publicKeyHex, "publicKeyHex");
        if (!publicKeyHex.matches("04[0-9a-f]{128}")) {
            throw new IllegalArgumentException("public key must be SEC1 uncompressed lowercase hex");
        }
    }
}
