package org.mpcwallet.bank.pipeline.policy.domain;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.mpcwallet.bank.pipeline.EthFormats;
import org.mpcwallet.bank.wallet.domain.WalletType;

/**
 * The transfer a policy decision is about.
 *
 * @param walletId      the sending wallet
 * @param walletType    its type
 * @param asset         the asset symbol ({@code ETH} or a registered token), 1-16 of {@code A-Z 0-9}
 * @param tokenContract the token's contract address, or null for the native asset; stored lower-case
 * @param to            the recipient (for a token, the holder receiving it, not the contract); stored lower-case
 * @param amount        the amount in the asset's base units, positive
 */
public record TransferRequest(UUID walletId, WalletType walletType, String asset, String tokenContract, String to,
                              BigInteger amount) {
    public TransferRequest {
        Objects.requireNonNull(walletId, "walletId");
        Objects.requireNonNull(walletType, "walletType");
        if (!EthFormats.isAssetSymbol(asset)) {
            throw new IllegalArgumentException("asset is not 1-16 of A-Z 0-9");
        }
        if (tokenContract != null) {
            if (!EthFormats.isAddress(tokenContract)) {
                throw new IllegalArgumentException("token contract is not 0x and 40 hex digits");
            }
            tokenContract = tokenContract.toLowerCase(Locale.ROOT);
        }
        if (!EthFormats.isAddress(to)) {
            throw new IllegalArgumentException("to is not 0x and 40 hex digits");
        }
        to = to.toLowerCase(Locale.ROOT);
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
    }
}
