package org.mpcwallet.crypto.eth;

import java.math.BigInteger;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * An unsigned EIP-1559 fee-market transaction (https://eips.ethereum.org/EIPS/eip-1559), transaction type
 * {@code 0x02} in the EIP-2718 envelope (https://eips.ethereum.org/EIPS/eip-2718), restricted to what the wallet
 * sends: a call or transfer to an existing address (no contract creation) with an empty EIP-2930 access list.
 *
 * <p>Validated on construction: {@code 1 <= chainId <= floor((2^64 - 1) / 2) - 36} (the bound
 * proposed by EIP-2294, so that an EIP-155 {@code v} fits in 64 bits); {@code nonce < 2^64 - 1} (EIP-2681);
 * {@code gasLimit < 2^64}; fees and value below 2^256; {@code maxPriorityFeePerGas <= maxFeePerGas} (EIP-1559
 * validity rule); {@code to} and {@code data} non-null. Immutable: {@code data} is copied in and out.
 *
 * <pre>
 * signingPayload = 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, []])
 * signed         = 0x02 || rlp([... the same 9 fields ..., yParity, r, s])
 * </pre>
 */
public record Eip1559Transaction(
        BigInteger chainId,
        BigInteger nonce,
        BigInteger maxPriorityFeePerGas,
        BigInteger maxFeePerGas,
        BigInteger gasLimit,
        EthAddress to,
        BigInteger value,
        byte[] data) implements EthTransaction {

    /** EIP-2718 transaction type of EIP-1559 transactions. */
    public static final int TYPE = 0x02;

    private static final int UNSIGNED_FIELDS = 9;
    private static final int SIGNED_FIELDS = 12;

    public Eip1559Transaction {
        TxFields.chainId(chainId);
        TxFields.nonce(nonce);
        TxFields.uint(maxPriorityFeePerGas, 256, "maxPriorityFeePerGas");
        TxFields.uint(maxFeePerGas, 256, "maxFeePerGas");
        if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException("maxPriorityFeePerGas must not exceed maxFeePerGas (EIP-1559)");
        }
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
        return Type.EIP1559;
    }

    /** {@code maxFeePerGas}. */
    @Override
    public BigInteger maxPricePerGas() {
        return maxFeePerGas;
    }

    /** {@code 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, []])}. */
    @Override
    public byte[] signingPayload() {
        return typed(RlpList.of(fields(null)));
    }

    /** Keccak-256 of {@link #signingPayload()}: the 32-byte message hash to sign with ECDSA. */
    @Override
    public byte[] signingHash() {
        return Keccak256.hash(signingPayload());
    }

    /** {@code 0x02 || rlp([9 fields, yParity, r, s])}, ready for {@code eth_sendRawTransaction}. */
    @Override
    public byte[] encodeSigned(EcdsaSignature signature) {
        return typed(RlpList.of(fields(TxFields.requireSignature(signature))));
    }

    /** Pairs this transaction with its signature. */
    public SignedEip1559Transaction withSignature(EcdsaSignature signature) {
        return new SignedEip1559Transaction(this, signature);
    }

    private RlpItem[] fields(EcdsaSignature signature) {
        RlpItem[] f = new RlpItem[signature == null ? UNSIGNED_FIELDS : SIGNED_FIELDS];
        f[0] = RlpString.ofUnsigned(chainId);
        f[1] = RlpString.ofUnsigned(nonce);
        f[2] = RlpString.ofUnsigned(maxPriorityFeePerGas);
        f[3] = RlpString.ofUnsigned(maxFeePerGas);
        f[4] = RlpString.ofUnsigned(gasLimit);
        f[5] = new RlpString(to.bytes());
        f[6] = RlpString.ofUnsigned(value);
        f[7] = new RlpString(data);
        f[8] = RlpList.EMPTY;
        if (signature != null) {
            f[9] = RlpString.ofUnsigned(BigInteger.valueOf(signature.recoveryId()));
            f[10] = TxFields.r(signature);
            f[11] = TxFields.s(signature);
        }
        return f;
    }

    private static byte[] typed(RlpList list) {
        return Bytes.concat(new byte[] {(byte) TYPE}, Rlp.encode(list));
    }

    /** Strictly decodes a {@link #signingPayload()} (type byte, canonical RLP, 9 fields, empty access list). */
    public static Eip1559Transaction decode(byte[] signingPayload) {
        return fromFields(TxFields.typedPayload(signingPayload, TYPE, UNSIGNED_FIELDS, "EIP-1559 signing payload"));
    }

    /**
     * Strictly decodes a signed EIP-1559 transaction: type byte {@code 0x02}, canonical RLP of exactly 12 fields,
     * canonical integers within their ranges, a 20-byte {@code to}, an empty access list, yParity 0 or 1, and a
     * low-s signature with {@code 1 <= r, s < n}.
     */
    public static SignedEip1559Transaction decodeSigned(byte[] encoded) {
        RlpList f = TxFields.typedPayload(encoded, TYPE, SIGNED_FIELDS, "signed EIP-1559 transaction");
        Eip1559Transaction tx = fromFields(f);
        BigInteger yParity = TxFields.scalar(f.get(9), 8, "yParity");
        if (yParity.compareTo(BigInteger.ONE) > 0) {
            throw new IllegalArgumentException("yParity must be 0 or 1");
        }
        return new SignedEip1559Transaction(tx, TxFields.signature(f.get(10), f.get(11), yParity.intValue()));
    }

    private static Eip1559Transaction fromFields(RlpList f) {
        RlpItem accessList = f.get(8);
        if (!(accessList instanceof RlpList list)) {
            throw new IllegalArgumentException("accessList must be an RLP list");
        }
        if (list.size() != 0) {
            throw new IllegalArgumentException("non-empty access lists are not supported");
        }
        return new Eip1559Transaction(
                TxFields.scalar(f.get(0), 64, "chainId"),
                TxFields.scalar(f.get(1), 64, "nonce"),
                TxFields.scalar(f.get(2), 256, "maxPriorityFeePerGas"),
                TxFields.scalar(f.get(3), 256, "maxFeePerGas"),
                TxFields.scalar(f.get(4), 64, "gasLimit"),
                TxFields.address(f.get(5)),
                TxFields.scalar(f.get(6), 256, "value"),
                TxFields.bytes(f.get(7), "data"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Eip1559Transaction t
                && chainId.equals(t.chainId)
                && nonce.equals(t.nonce)
                && maxPriorityFeePerGas.equals(t.maxPriorityFeePerGas)
                && maxFeePerGas.equals(t.maxFeePerGas)
                && gasLimit.equals(t.gasLimit)
                && to.equals(t.to)
                && value.equals(t.value)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        int h = chainId.hashCode();
        h = 31 * h + nonce.hashCode();
        h = 31 * h + maxPriorityFeePerGas.hashCode();
        h = 31 * h + maxFeePerGas.hashCode();
        h = 31 * h + gasLimit.hashCode();
        h = 31 * h + to.hashCode();
        h = 31 * h + value.hashCode();
        return 31 * h + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Eip1559Transaction[chainId=" + chainId + ", nonce=" + nonce + ", maxPriorityFeePerGas="
                + maxPriorityFeePerGas + ", maxFeePerGas=" + maxFeePerGas + ", gasLimit=" + gasLimit + ", to=" + to
                + ", value=" + value + ", data=0x" + Bytes.toHex(data) + "]";
    }
}
