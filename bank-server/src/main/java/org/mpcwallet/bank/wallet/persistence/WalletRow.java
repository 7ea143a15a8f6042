package org.mpcwallet.bank.wallet.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.mpcwallet.bank.wallet.domain.CustodyBackend;
import org.mpcwallet.bank.wallet.domain.RiskProfile;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.domain.WalletType;

/**
 * A row of {@code wallets} (V5, V13's statuses): the enums as their names, the tags as {@code text[]}. Only
 * {@link WalletRepository} sees it; callers get the domain {@link Wallet}.
 */
@MappedEntity("wallets")
public record WalletRow(@Id UUID id, String name, String type, String riskProfile,
                        @TypeDef(type = DataType.STRING_ARRAY) String[] tags, String custodyBackend, String status,
                        String keysetId, @Nullable byte[] publicKey, @Nullable String address, Instant createdAt,
                        Instant updatedAt, @Nullable Instant lastUsedAt, UUID createdBy) {

    /** The row of a new wallet {@code w}. */
    static WalletRow of(Wallet w) {
        return new WalletRow(w.id(), w.name(), w.type().name(), w.riskProfile().name(),
                w.tags().toArray(new String[0]), w.custodyBackend().name(), w.status().name(), w.keysetId(),
                w.publicKey(), w.address(), w.createdAt(), w.updatedAt(), w.lastUsedAt(), w.createdBy());
    }

    /** The domain wallet this row holds. */
    Wallet toWallet() {
        return new Wallet(id, name, WalletType.valueOf(type), RiskProfile.valueOf(riskProfile), Arrays.asList(tags),
                CustodyBackend.valueOf(custodyBackend), WalletStatus.valueOf(status), keysetId, publicKey, address,
                createdAt, updatedAt, lastUsedAt, createdBy);
    }

    @Override
    public String toString() {
        return "WalletRow[id=" + id + ", name=" + name + ", type=" + type + ", status=" + status + ", keysetId="
                + keysetId + "]";
    }
}
