package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * An unsigned legacy (untyped) transaction with EIP-155 replay protection (https://eips.ethereum.org/EIPS/eip-155).
 * Only replay-protected signing is offered: pre-EIP-155 signatures ({@code v = 27/28}) are neither produced nor
 * accepted. No contract creation: {@code to} is required.
 *
 * <p>Validated on construction: {@code 1 <= chainId <= floor((2^64 - 1) / 2) - 36} (the bound
 * proposed by EIP-2294, so that an EIP-155 {@code v} fits in 64 bits); {@code nonce < 2^64 - 1} (EIP-2681);
 * {@code gasLimit < 2^64}; gas price and value below 2^256; {@code to} and {@code data} non-null.
 *
 * <pre>
 * signingPayload = rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])
 * signed         = rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s]),  v = recoveryId + 35 + 2 * chainId
 * </pre>
 */
public record LegacyTransaction(
        BigInteger chainId,
        BigInteger nonce,
        BigInteger gasPrice,
        BigInteger gasLimit,
        EthAddress to,
        BigInteger value,
        byte[] data) implements EthTransaction {

    private static final int FIELDS = 9;
    private static final BigInteger V_OFFSET = BigInteger.valueOf(35);
    private static final BigInteger TWO = BigInteger.valueOf(2);

    public LegacyTransaction {
        TxFields.chainId(chainId);
        TxFields.nonce(nonce);
        TxFields.uint(gasPrice, 256, "gasPrice");
        TxFields.uint(gasLimit, 64, "gasLimit");
        TxFields.to(to);
        TxFields.uint(value, 256, "value");
        data = TxFields.data(data);
    }

    /** Copy of the call data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public Type type() {
        return Type.LEGACY;
    }

    /** {@code gasPrice}. */
    @Override
    public BigInteger maxPricePerGas() {
        return gasPrice;
    }

    /** EIP-155 signing data: {@code rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])}. */
    @Override
    public byte[] signingPayload() {
        return Rlp.encode(RlpList.of(fields(RlpString.ofUnsigned(chainId), RlpString.EMPTY, RlpString.EMPTY)));
    }

    /** Keccak-256 of {@link #signingPayload()}: the 32-byte message hash to sign with ECDSA. */
    @Override
    public byte[] signingHash() {
        return Keccak256.hash(signingPayload());
    }

    /** EIP-155 {@code v = recoveryId + 35 + 2 * chainId}. */
    public BigInteger v(int recoveryId) {
        if (recoveryId != 0 && recoveryId != 1) {
            throw new IllegalArgumentException("recovery id must be 0 or 1");
        }
        return BigInteger.valueOf(recoveryId).add(V_OFFSET).add(chainId.multiply(TWO));
    }

    /** {@code rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])}, ready for {@code eth_sendRawTransaction}. */
    @Override
    public byte[] encodeSigned(EcdsaSignature signature) {
        TxFields.requireSignature(signature);
        return Rlp.encode(RlpList.of(fields(
                RlpString.ofUnsigned(v(signature.recoveryId())), TxFields.r(signature), TxFields.s(signature))));
    }

    /** Pairs this transaction with its signature. */
    public SignedLegacyTransaction withSignature(EcdsaSignature signature) {
        return new SignedLegacyTransaction(this, signature);
    }

    private RlpItem[] fields(RlpItem f6, RlpItem f7, RlpItem f8) {
        return new RlpItem[] {
            RlpString.ofUnsigned(nonce),
            RlpString.ofUnsigned(gasPrice),
            RlpString.ofUnsigned(gasLimit),
            new RlpString(to.bytes()),
            RlpString.ofUnsigned(value),
            new RlpString(data),
            f6,
            f7,
            f8
        };
    }

    /**
     * Strictly decodes an EIP-155 {@link #signingPayload()}: canonical RLP list of exactly 9 fields whose last two
     * are the empty string (integer zero).
     */
    public static LegacyTransaction decode(byte[] signingPayload) {
        RlpList f = TxFields.legacyPayload(signingPayload, FIELDS, "EIP-155 signing payload");
        if (TxFields.scalar(f.get(7), 256, "EIP-155 r placeholder").signum() != 0
                || TxFields.scalar(f.get(8), 256, "EIP-155 s placeholder").signum() != 0) {
            throw new IllegalArgumentException("EIP-155 signing payload must end with chainId, 0, 0");
        }
        return fromFields(f, TxFields.scalar(f.get(6), 64, "chainId"));
    }

    /**
     * Strictly decodes a signed EIP-155 transaction: canonical RLP list of exactly 9 fields, canonical integers
     * within their ranges, a 20-byte {@code to}, {@code v = 35 + 2 * chainId + {0,1}} with {@code chainId >= 1}
     * (so {@code v = 27/28} is rejected), and a low-s signature with {@code 1 <= r, s < n}.
     */
    public static SignedLegacyTransaction decodeSigned(byte[] encoded) {
        RlpList f = TxFields.legacyPayload(encoded, FIELDS, "signed legacy transaction");
        BigInteger v = TxFields.scalar(f.get(6), 64, "v");
        if (v.equals(BigInteger.valueOf(27)) || v.equals(BigInteger.valueOf(28))) {
            throw new IllegalArgumentException("v = " + v + " is an unprotected pre-EIP-155 signature");
        }
        if (v.compareTo(V_OFFSET.add(TWO)) < 0) {
            throw new IllegalArgumentException("v = " + v + " is not a valid EIP-155 value (needs chainId >= 1)");
        }
        BigInteger[] chainAndParity = v.subtract(V_OFFSET).divideAndRemainder(TWO);
        LegacyTransaction tx = fromFields(f, chainAndParity[0]);
        return new SignedLegacyTransaction(tx, TxFields.signature(f.get(7), f.get(8), chainAndParity[1].intValue()));
    }

    private static LegacyTransaction fromFields(RlpList f, BigInteger chainId) {
        return new LegacyTransaction(
                chainId,
                TxFields.scalar(f.get(0), 64, "nonce"),
                TxFields.scalar(f.get(1), 256, "gasPrice"),
                TxFields.scalar(f.get(2), 64, "gasLimit"),
                TxFields.address(f.get(3)),
                TxFields.scalar(f.get(4), 256, "value"),
                TxFields.bytes(f.get(5), "data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LegacyTransaction t
                && chainId.equals(t.chainId)
                && nonce.equals(t.nonce)
                && gasPrice.equals(t.gasPrice)
                && gasLimit.equals(t.gasLimit)
                && to.equals(t.to)
                && value.equals(t.value)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        int h = chainId.hashCode();
        h = 31 * h + nonce.hashCode();
        h = 31 * h + gasPrice.hashCode();
        h = 31 * h + gasLimit.hashCode();
        h = 31 * h + to.hashCode();
        h = 31 * h + value.hashCode();
        return 31 * h + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LegacyTransaction[chainId=" + chainId + ", nonce=" + nonce + ", gasPrice=" + gasPrice
                + ", gasLimit=" + gasLimit + ", to=" + to + ", value=" + value + ", data=0x" + Bytes.toHex(data)
                + "]";
    }
}
