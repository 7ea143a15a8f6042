package org.mpcwallet.bank.wallet.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One wallet row. {@code publicKey} and {@code address} are null until keygen succeeded. */
public record Wallet(UUID id, String name, WalletType type, RiskProfile riskProfile, List<String> tags,
                     CustodyBackend custodyBackend, WalletStatus status, String keysetId, byte[] publicKey,
                     String address, Instant createdAt, Instant updatedAt, Instant lastUsedAt, UUID createdBy) {
    public Wallet {
        tags = List.copyOf(tags);
        publicKey = publicKey == null ? null : publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }
}
