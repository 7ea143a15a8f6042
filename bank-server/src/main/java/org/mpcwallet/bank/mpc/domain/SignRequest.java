package org.mpcwallet.bank.mpc.domain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * One "sign this transfer" request (docs/mpc-channel.md "Sign requests"): an EIP-1559 or, for a node without
 * EIP-1559, a legacy EIP-155 transaction of a wallet and, once co-signed, its signature and signed encoding. Byte
 * arrays are copied in and out.
 */
public record SignRequest(UUID id, UUID walletId, Status status, EthTransaction tx, byte[] signingHash,
                          UUID createdBy, Instant createdAt, Instant expiresAt, Instant updatedAt,
                          Signature signature, byte[] rawTransaction, byte[] txHash, String failure) {

    public enum Status { PENDING, SIGNED, FAILED }

    /** r, s (32 bytes each) and the recovery id v (0/1; the EIP-1559 yParity; EIP-155's v is in the raw tx). */
    public record Signature(BigInteger r, BigInteger s, int v) {
    }

    /** A new request waiting for the device: PENDING from {@code now} until {@code expiresAt}, nothing signed yet. */
    public static SignRequest pending(UUID id, UUID walletId, EthTransaction tx, UUID createdBy, Instant now,
                                      Instant expiresAt) {
        return new SignRequest(id, walletId, Status.PENDING, tx, tx.signingHash(), createdBy, now, expiresAt, now, null,
                null, null, null);
    }

    public SignRequest {
        signingHash = signingHash.clone();
        rawTransaction = rawTransaction == null ? null : rawTransaction.clone();
        txHash = txHash == null ? null : txHash.clone();
    }

    @Override
    public byte[] signingHash() {
        return signingHash.clone();
    }

    @Override
    public byte[] rawTransaction() {
        return rawTransaction == null ? null : rawTransaction.clone();
    }

    @Override
    public byte[] txHash() {
        return txHash == null ? null : txHash.clone();
    }

    /** {@code v} (0 <= v < 2^256) as 32 big-endian bytes. */
    public static byte[] fixed32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Builds the transaction from API fields; {@link IllegalArgumentException} names the bad field. {@code type} is
     * {@code EIP1559} (the default when absent: {@code maxPriorityFeePerGas} and {@code maxFeePerGas}, no
     * {@code gasPrice}) or {@code LEGACY} ({@code gasPrice} only).
     */
    public static EthTransaction transaction(String type, String chainId, String nonce, String maxPriorityFeePerGas,
                                             String maxFeePerGas, String gasPrice, String gasLimit, String to,
                                             String valueWei, String data) {
        EthTransaction.Type t = type == null ? EthTransaction.Type.EIP1559 : EthTransaction.Type.parse(type);
        byte[] d;
        String hex = data == null || data.isEmpty() ? "0x" : data;
        if (!hex.matches("0x([0-9a-fA-F]{2})*") || hex.length() > 2 + 2 * 64 * 1024) {
            throw new IllegalArgumentException("data must be 0x-prefixed hex of whole bytes, at most 64 KiB");
        }
        d = java.util.HexFormat.of().parseHex(hex.substring(2));
        EthAddress toAddress;
        try {
            toAddress = EthAddress.parse(to);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("to must be a 0x-prefixed 20-byte address (EIP-55 checksum if mixed case)");
        }
        if (t == EthTransaction.Type.LEGACY) {
            if (maxPriorityFeePerGas != null || maxFeePerGas != null) {
                throw new IllegalArgumentException("a LEGACY transaction has gasPrice, not maxPriorityFeePerGas or "
                        + "maxFeePerGas");
            }
            return new LegacyTransaction(uint(chainId, "chainId"), uint(nonce, "nonce"), uint(gasPrice, "gasPrice"),
                    uint(gasLimit, "gasLimit"), toAddress, uint(valueWei, "valueWei"), d);
        }
        if (gasPrice != null) {
            throw new IllegalArgumentException("an EIP1559 transaction has maxPriorityFeePerGas and maxFeePerGas, not "
                    + "gasPrice");
        }
        return new Eip1559Transaction(uint(chainId, "chainId"), uint(nonce, "nonce"),
                uint(maxPriorityFeePerGas, "maxPriorityFeePerGas"), uint(maxFeePerGas, "maxFeePerGas"),
                uint(gasLimit, "gasLimit"), toAddress, uint(valueWei, "valueWei"), d);
    }

    private static BigInteger uint(String value, String field) {
        if (value == null || !value.matches("0|[1-9][0-9]{0,77}")) {
            throw new IllegalArgumentException(field + " must be a non-negative decimal integer string");
        }
        return new BigInteger(value);
    }
}
