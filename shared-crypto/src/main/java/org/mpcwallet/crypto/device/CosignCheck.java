package org.mpcwallet.crypto.device;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;

/**
 * The device's most security-critical check, before it co-signs (docs/redesign.md, "device"), shared by the
 * desktop and the browser, with failures as values:
 * <ol>
 *   <li>{@link #build}: rebuild the transaction of the sign request's stated type (EIP-1559 or EIP-155) from its
 *       fields, never guessing a type;</li>
 *   <li>{@link #hashMatches}: the signing hash the device computed itself equals the bank's, so the device signs the
 *       hash it computed, never one it was handed;</li>
 *   <li>{@link #mismatch}: the transaction is the transfer the user asked for: the same wallet, recipient and amount
 *       (or ERC-20 {@code transfer(recipient, amount)} on the token contract, with no ETH value) and chain.</li>
 * </ol>
 */
public final class CosignCheck {
    private CosignCheck() {
    }

    /** The fields of a sign request as the bank sends them: decimal strings for integers, 0x hex for to and data. */
    public record Fields(String type, String chainId, String nonce, String maxPriorityFeePerGas, String maxFeePerGas,
                         String gasPrice, String gasLimit, String to, String valueWei, String data) {
    }

    /** The outcome of {@link #build}. */
    public sealed interface Built permits Built.Ok, Built.Invalid {
        /** The transaction the fields denote. */
        record Ok(EthTransaction tx) implements Built {
        }

        /** Why the fields denote no valid transaction (the field first, e.g. {@code nonce must be ...}). */
        record Invalid(String reason) implements Built {
        }
    }

    /** What the user asked for: the transfer of a transaction request ({@code tokenAddress} null for ETH). */
    public record Transfer(String walletId, String to, BigInteger amount, String tokenAddress, BigInteger chainId) {
    }

    /** Builds the transaction of the stated type from {@code f}. */
    public static Built build(Fields f) {
        EthTransaction.Type type;
        try {
            type = EthTransaction.Type.parse(f.type());
        } catch (IllegalArgumentException e) {
            return new Built.Invalid("type: " + e.getMessage());
        }
        BigInteger chain = decimal(f.chainId());
        BigInteger nonce = decimal(f.nonce());
        BigInteger gas = decimal(f.gasLimit());
        BigInteger value = decimal(f.valueWei());
        for (Object[] c : new Object[][] {{chain, "chainId"}, {nonce, "nonce"}, {gas, "gasLimit"},
            {value, "valueWei"}}) {
            if (c[0] == null) {
                return new Built.Invalid(c[1] + " must be a non-negative decimal integer");
            }
        }
        EthAddress to;
        try {
            to = EthAddress.parse(f.to());
        } catch (IllegalArgumentException e) {
            return new Built.Invalid("to: " + e.getMessage());
        }
        byte[] data;
        String d = f.data();
        if (d == null || d.isEmpty()) {
            data = new byte[0];
        } else if (!d.startsWith("0x")) {
            return new Built.Invalid("data: must start with 0x");
        } else {
            try {
                data = Bytes.fromHex(d);
            } catch (IllegalArgumentException e) {
                return new Built.Invalid("data: " + e.getMessage());
            }
        }
        if (type == EthTransaction.Type.LEGACY) {
            if (f.maxPriorityFeePerGas() != null || f.maxFeePerGas() != null) {
                return new Built.Invalid("a LEGACY transaction carries gasPrice, not EIP-1559 fees");
            }
            BigInteger price = decimal(f.gasPrice());
            if (price == null) {
                return new Built.Invalid("gasPrice must be a non-negative decimal integer");
            }
            try {
                return new Built.Ok(new LegacyTransaction(chain, nonce, price, gas, to, value, data));
            } catch (IllegalArgumentException e) {
                return new Built.Invalid("not a valid EIP-155 transaction: " + e.getMessage());
            }
        }
        if (f.gasPrice() != null) {
            return new Built.Invalid("an EIP1559 transaction carries maxPriorityFeePerGas and maxFeePerGas, not "
                    + "gasPrice");
        }
        BigInteger tip = decimal(f.maxPriorityFeePerGas());
        if (tip == null) {
            return new Built.Invalid("maxPriorityFeePerGas must be a non-negative decimal integer");
        }
        BigInteger fee = decimal(f.maxFeePerGas());
        if (fee == null) {
            return new Built.Invalid("maxFeePerGas must be a non-negative decimal integer");
        }
        try {
            return new Built.Ok(new Eip1559Transaction(chain, nonce, tip, fee, gas, to, value, data));
        } catch (IllegalArgumentException e) {
            return new Built.Invalid("not a valid EIP-1559 transaction: " + e.getMessage());
        }
    }

    /** Whether {@code bankHashHex} (0x and 64 hex, or 64 hex) is exactly the device's own signing hash of {@code tx}. */
    public static boolean hashMatches(EthTransaction tx, String bankHashHex) {
        byte[] theirs;
        try {
            theirs = Bytes.fromHex(bankHashHex);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        return theirs.length == 32 && Bytes.constantTimeEquals(tx.signingHash(), theirs);
    }

    /**
     * Why the sign request of wallet {@code signWalletId} carrying {@code tx} is not the transfer {@code asked}, or
     * null when it is exactly that transfer.
     */
    public static String mismatch(Transfer asked, String signWalletId, EthTransaction tx) {
        EthAddress recipient = EthAddress.parse(asked.to());
        String why = null;
        if (!asked.walletId().equals(signWalletId)) {
            why = "it belongs to wallet " + signWalletId + ", not " + asked.walletId();
        } else if (asked.tokenAddress() == null) {
            if (!tx.to().equals(recipient) || !tx.value().equals(asked.amount()) || tx.data().length != 0) {
                why = "it sends " + tx.value() + " wei to " + tx.to().toChecksumHex() + (tx.data().length == 0 ? ""
                        : " with call data") + ", not " + asked.amount() + " wei to " + recipient.toChecksumHex();
            }
        } else {
            byte[] expected = Erc20.transferCalldata(recipient, asked.amount());
            if (!tx.to().equals(EthAddress.parse(asked.tokenAddress())) || tx.value().signum() != 0
                    || !java.util.Arrays.equals(expected, tx.data())) {
                why = "it is not transfer(" + recipient.toChecksumHex() + ", " + asked.amount()
                        + ") on the token contract " + asked.tokenAddress();
            }
        }
        if (asked.chainId() != null && !asked.chainId().equals(tx.chainId())) {
            why = "its chain id " + tx.chainId() + " is not the request's " + asked.chainId();
        }
        return why;
    }

    /** A non-negative decimal integer without sign, spaces or leading zeros (except "0"), at most 78 digits; else null. */
    public static BigInteger decimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 78 || (s.length() > 1 && s.charAt(0) == '0')) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return new BigInteger(s);
    }
}
