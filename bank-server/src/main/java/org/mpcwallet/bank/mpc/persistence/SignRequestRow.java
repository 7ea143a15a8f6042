package org.mpcwallet.bank.mpc.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * A row of {@code sign_requests} (V6, V7's {@code tx_request_id}, V9's legacy fee shape): a transaction to sign, and
 * its signature once SIGNED. The amounts are {@code numeric(78)}.
 */
@MappedEntity("sign_requests")
public record SignRequestRow(@Id UUID id, UUID walletId, String status, String txType, BigDecimal chainId,
                             BigDecimal nonce, @Nullable BigDecimal maxPriorityFeePerGas,
                             @Nullable BigDecimal maxFeePerGas, @Nullable BigDecimal gasPrice, BigDecimal gasLimit,
                             String toAddress, BigDecimal valueWei, byte[] data, byte[] signingHash, UUID createdBy,
                             Instant createdAt, Instant expiresAt, Instant updatedAt, @Nullable byte[] sigR,
                             @Nullable byte[] sigS, @Nullable Short sigV, @Nullable byte[] rawTransaction,
                             @Nullable byte[] txHash, @Nullable String failure, @Nullable UUID txRequestId) {

    /** The row of a new request {@code r}; {@code txRequestId} links it to a transfer (null: a direct one). */
    static SignRequestRow of(SignRequest r, UUID txRequestId) {
        EthTransaction tx = r.tx();
        BigDecimal tip = null;
        BigDecimal cap = null;
        BigDecimal price = null;
        if (tx instanceof Eip1559Transaction t) {
            tip = new BigDecimal(t.maxPriorityFeePerGas());
            cap = new BigDecimal(t.maxFeePerGas());
        } else {
            price = new BigDecimal(((LegacyTransaction) tx).gasPrice());
        }
        return new SignRequestRow(r.id(), r.walletId(), r.status().name(), tx.type().name(),
                new BigDecimal(tx.chainId()), new BigDecimal(tx.nonce()), tip, cap, price,
                new BigDecimal(tx.gasLimit()), tx.to().toChecksumHex(), new BigDecimal(tx.value()), tx.data(),
                r.signingHash(), r.createdBy(), r.createdAt(), r.expiresAt(), r.updatedAt(), null, null, null, null,
                null, null, txRequestId);
    }

    /** The domain request this row holds. */
    SignRequest toSignRequest() {
        EthAddress to = EthAddress.parse(toAddress);
        EthTransaction tx = switch (EthTransaction.Type.parse(txType)) {
            case EIP1559 -> new Eip1559Transaction(big(chainId), big(nonce), big(maxPriorityFeePerGas),
                    big(maxFeePerGas), big(gasLimit), to, big(valueWei), data);
            case LEGACY -> new LegacyTransaction(big(chainId), big(nonce), big(gasPrice), big(gasLimit), to,
                    big(valueWei), data);
        };
        SignRequest.Signature sig = sigR == null ? null : new SignRequest.Signature(new BigInteger(1, sigR),
                new BigInteger(1, sigS), sigV);
        return new SignRequest(id, walletId, SignRequest.Status.valueOf(status), tx, signingHash, createdBy,
                createdAt, expiresAt, updatedAt, sig, rawTransaction, txHash, failure);
    }

    private static BigInteger big(BigDecimal d) {
        return d.toBigIntegerExact();
    }
}
