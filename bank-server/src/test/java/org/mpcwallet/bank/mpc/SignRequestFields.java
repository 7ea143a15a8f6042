package org.mpcwallet.bank.mpc;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Map;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * What a test device does with a sign request's JSON (docs/mpc-channel.md "Sign requests"): rebuilds the
 * transaction of the stated {@code type} from the fields, so the signing hash it co-signs is its own.
 */
public final class SignRequestFields {
    private SignRequestFields() {
    }

    public static EthTransaction tx(Map<?, ?> r) {
        EthAddress to = EthAddress.parse((String) r.get("to"));
        byte[] data = HexFormat.of().parseHex(((String) r.get("data")).substring(2));
        return switch (EthTransaction.Type.parse((String) r.get("type"))) {
            case EIP1559 -> new Eip1559Transaction(big(r, "chainId"), big(r, "nonce"), big(r, "maxPriorityFeePerGas"),
                    big(r, "maxFeePerGas"), big(r, "gasLimit"), to, big(r, "valueWei"), data);
            case LEGACY -> new LegacyTransaction(big(r, "chainId"), big(r, "nonce"), big(r, "gasPrice"),
                    big(r, "gasLimit"), to, big(r, "valueWei"), data);
        };
    }

    /** The signing hash the device computes itself. */
    public static byte[] hash(Map<?, ?> r) {
        return tx(r).signingHash();
    }

    private static BigInteger big(Map<?, ?> r, String k) {
        return new BigInteger((String) r.get(k));
    }
}
