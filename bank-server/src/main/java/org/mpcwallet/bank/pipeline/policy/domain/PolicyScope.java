package org.mpcwallet.bank.pipeline.policy.domain;

import java.util.Objects;
import java.util.UUID;
import org.mpcwallet.bank.wallet.domain.WalletType;

/** Which wallets a rule applies to: one wallet, every wallet of a type, or every wallet. */
public sealed interface PolicyScope {
    /** Whether the scope covers the wallet {@code walletId} of type {@code walletType}. */
    boolean covers(UUID walletId, WalletType walletType);

    /** Exactly one wallet. */
    record Wallet(UUID walletId) implements PolicyScope {
        public Wallet {
            Objects.requireNonNull(walletId, "walletId");
        }

        @Override
        public boolean covers(UUID id, WalletType type) {
            return walletId.equals(id);
        }
    }

    /** Every wallet of one type. */
    record OfType(WalletType walletType) implements PolicyScope {
        public OfType {
            Objects.requireNonNull(walletType, "walletType");
        }

        @Override
        public boolean covers(UUID id, WalletType type) {
            return walletType == type;
        }
    }

    /** Every wallet. */
    record Global() implements PolicyScope {
        @Override
        public boolean covers(UUID id, WalletType type) {
            return true;
        }
    }

    /**
     * The scope of a {@code policies} row: {@code wallet_id}, else {@code wallet_type}, else global.
     *
     * @throws IllegalArgumentException when both are set (the table forbids it too)
     */
    static PolicyScope of(UUID walletId, WalletType walletType) {
        if (walletId != null && walletType != null) {
            throw new IllegalArgumentException("a policy is scoped to a wallet or to a wallet type, not both");
        }
        return walletId != null ? new Wallet(walletId) : walletType != null ? new OfType(walletType) : new Global();
    }
}
