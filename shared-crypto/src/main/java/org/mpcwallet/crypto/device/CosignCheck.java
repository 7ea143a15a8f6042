package org.mpcwallet.crypto.device;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.Erc20Transfer;
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
 *       (or ERC-20 {@code transfer(recipient, amount)} on the token contract, with no ETH value) and chain;</li>
 *   <li>{@link #feeAboveCeiling}: the fee caps are not above a ceiling the caller set (optional);</li>
 *   <li>{@link #review}: what the user must see before agreeing, computed here from the rebuilt transaction, never
 *       taken from the bank: recipient (EIP-55), amount in the asset's units, token contract, chain, nonce, type,
 *       the fee caps in gwei, the gas limit and the maximum fee (gas limit × fee cap) in ETH.</li>
 * </ol>
 * {@link #check} runs them all in that order and answers {@link Outcome.Ok} with the review or
 * {@link Outcome.Refused} with the first rule that failed.
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

    /**
     * The asset a transfer is in, as the user knows it: its symbol, its decimals ({@code -1} when unknown: the amount
     * is then shown in base units) and its token contract ({@code null} for ETH).
     */
    public record Asset(String symbol, int decimals, String tokenContract) {
        /** Ether: 18 decimals, no contract. */
        public static final Asset ETH = new Asset("ETH", Amounts.ETH_DECIMALS, null);

        public Asset {
            if (symbol == null || symbol.isEmpty()) {
                throw new IllegalArgumentException("asset symbol is required");
            }
            if (decimals < -1 || decimals > 255) {
                throw new IllegalArgumentException("decimals must be between 0 and 255, or -1 for unknown");
            }
            if (tokenContract != null) {
                EthAddress.parse(tokenContract);
            }
        }
    }

    /**
     * Optional ceilings on the fees the device agrees to: the fee cap per gas ({@code maxFeePerGas}, or
     * {@code gasPrice} of a legacy transaction) and the maximum fee (gas limit × that cap), both in wei; a null field
     * sets no ceiling.
     */
    public record FeeCeiling(BigInteger maxFeePerGasWei, BigInteger maxFeeWei) {
        /** No ceiling at all. */
        public static final FeeCeiling NONE = new FeeCeiling(null, null);
    }

    /**
     * What the user must see before co-signing, computed on the device from the rebuilt transaction.
     *
     * @param to             the transaction's {@code to} (EIP-55): the recipient of ETH or the token contract
     * @param recipient      who is paid (EIP-55): {@code to} for ETH, the {@code transfer} recipient for a token
     * @param amount         what is paid, in base units of {@code asset}
     * @param tokenContract  the token contract (EIP-55) of an ERC-20 transfer, else null
     * @param maxFeePerGas   EIP-1559 fee cap in wei per gas (null for legacy)
     * @param maxPriorityFeePerGas EIP-1559 tip cap in wei per gas (null for legacy)
     * @param gasPrice       legacy gas price in wei per gas (null for EIP-1559)
     * @param maxFeeWei      the most the transaction can cost in fees: gas limit × fee cap
     * @param dataHex        the call data, 0x hex
     */
    public record Review(EthTransaction.Type type, BigInteger chainId, BigInteger nonce, String to, BigInteger valueWei,
                         String recipient, BigInteger amount, Asset asset, String tokenContract,
                         BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, BigInteger gasPrice,
                         BigInteger gasLimit, BigInteger maxFeeWei, String dataHex, String signingHashHex) {

        /** The ETH value in ETH, exact. */
        public String valueEth() {
            return Amounts.eth(valueWei);
        }

        /** The amount as the user reads it: "1.5 USDC", "0.001 ETH", or "7 base units of XYZ" (decimals unknown). */
        public String amountText() {
            return asset.decimals() < 0 ? amount + " base units of " + asset.symbol()
                    : Amounts.units(amount, asset.decimals()) + " " + asset.symbol();
        }

        /** The fee cap per gas: {@code maxFeePerGas}, or {@code gasPrice} of a legacy transaction. */
        public BigInteger feeCapPerGas() {
            return type == EthTransaction.Type.LEGACY ? gasPrice : maxFeePerGas;
        }

        public String feeCapGwei() {
            return Amounts.gwei(feeCapPerGas());
        }

        /** The tip cap in gwei, or null for a legacy transaction. */
        public String priorityFeeGwei() {
            return maxPriorityFeePerGas == null ? null : Amounts.gwei(maxPriorityFeePerGas);
        }

        /** The maximum fee in ETH, exact. */
        public String maxFeeEth() {
            return Amounts.eth(maxFeeWei);
        }

        /** Length of the call data in bytes. */
        public int dataLength() {
            return (dataHex.length() - 2) / 2;
        }
    }

    /** The outcome of {@link #check}. */
    public sealed interface Outcome permits Outcome.Ok, Outcome.Refused {
        /** Every rule holds: the transaction to sign (its hash is the device's own) and what to show. */
        record Ok(EthTransaction tx, Review review) implements Outcome {
        }

        /** The first rule that failed, and why (the detail names the values, never a secret). */
        record Refused(Rule rule, String detail) implements Outcome {
            /**
             * The line shown to the user: "refusing to sign request ID: ..." for the request itself (fields, hash,
             * fees), "refusing to co-sign sign request ID for transaction request TX: ..." when it is not the
             * transfer {@code txRequestId} describes.
             */
            public String message(String signRequestId, String txRequestId) {
                if (rule == Rule.NOT_THE_TRANSFER) {
                    return "refusing to co-sign sign request " + signRequestId + " for transaction request "
                            + txRequestId + ": " + detail;
                }
                return "refusing to sign request " + signRequestId + ": "
                        + (rule == Rule.INVALID_FIELDS ? "its fields are invalid (" + detail + ")" : detail);
            }
        }
    }

    /** The rules of {@link #check}, in the order they run. */
    public enum Rule {
        /** The fields denote no valid transaction of the stated type. */
        INVALID_FIELDS,
        /** The bank's signing hash is not the device's own hash of the fields. */
        HASH_MISMATCH,
        /** The transaction is not the transfer the user asked for. */
        NOT_THE_TRANSFER,
        /** A fee cap is above the caller's ceiling. */
        FEE_ABOVE_CEILING
    }

    /**
     * The whole check of one sign request: build, hash, transfer (when {@code asked} is not null), fee ceiling, then
     * the review in {@code asset} (null: the asked transfer's token as a token of unknown decimals, else ETH).
     */
    public static Outcome check(Fields f, String bankHashHex, String signWalletId, Transfer asked, Asset asset,
            FeeCeiling ceiling) {
        Built built = build(f);
        if (built instanceof Built.Invalid invalid) {
            return new Outcome.Refused(Rule.INVALID_FIELDS, invalid.reason());
        }
        EthTransaction tx = ((Built.Ok) built).tx();
        if (!hashMatches(tx, bankHashHex)) {
            return new Outcome.Refused(Rule.HASH_MISMATCH, "the bank's signing hash " + bankHashHex
                    + " does not match the hash of the request's fields (0x" + Bytes.toHex(tx.signingHash()) + ")");
        }
        if (asked != null) {
            String why = mismatch(asked, signWalletId, tx);
            if (why != null) {
                return new Outcome.Refused(Rule.NOT_THE_TRANSFER, why);
            }
        }
        String tooHigh = feeAboveCeiling(tx, ceiling);
        if (tooHigh != null) {
            return new Outcome.Refused(Rule.FEE_ABOVE_CEILING, tooHigh);
        }
        Asset shownAs = asset;
        if (shownAs == null) {
            shownAs = asked == null || asked.tokenAddress() == null ? Asset.ETH
                    : new Asset("tokens", -1, asked.tokenAddress());
        }
        return new Outcome.Ok(tx, review(tx, shownAs));
    }

    /**
     * Why a fee cap of {@code tx} is above {@code ceiling}, or null when it is not (or there is no ceiling): the fee
     * cap per gas first, then the maximum fee.
     */
    public static String feeAboveCeiling(EthTransaction tx, FeeCeiling ceiling) {
        if (ceiling == null) {
            return null;
        }
        BigInteger cap = tx.maxPricePerGas();
        String what = tx.type() == EthTransaction.Type.LEGACY ? "gas price" : "max fee per gas";
        if (ceiling.maxFeePerGasWei() != null && cap.compareTo(ceiling.maxFeePerGasWei()) > 0) {
            return "its " + what + " " + Amounts.gwei(cap) + " gwei is above the ceiling of "
                    + Amounts.gwei(ceiling.maxFeePerGasWei()) + " gwei";
        }
        BigInteger maxFee = tx.gasLimit().multiply(cap);
        if (ceiling.maxFeeWei() != null && maxFee.compareTo(ceiling.maxFeeWei()) > 0) {
            return "its maximum fee " + Amounts.eth(maxFee) + " ETH (gas limit " + tx.gasLimit() + " × " + what + " "
                    + Amounts.gwei(cap) + " gwei) is above the ceiling of " + Amounts.eth(ceiling.maxFeeWei()) + " ETH";
        }
        return null;
    }

    /**
     * What the user is shown for {@code tx} in {@code asset}: an ERC-20 {@code transfer} on the asset's token
     * contract is decoded (recipient and amount of the token); anything else is shown as the ETH it sends to
     * {@code to}.
     */
    public static Review review(EthTransaction tx, Asset asset) {
        String recipient = tx.to().toChecksumHex();
        BigInteger amount = tx.value();
        Asset shownAs = Asset.ETH;
        String token = null;
        byte[] data = tx.data();
        if (asset != null && asset.tokenContract() != null && data.length > 0
                && tx.to().equals(EthAddress.parse(asset.tokenContract()))) {
            try {
                Erc20Transfer t = Erc20.decodeTransfer(data);
                recipient = t.to().toChecksumHex();
                amount = t.amount();
                shownAs = asset;
                token = tx.to().toChecksumHex();
            } catch (IllegalArgumentException e) {
                // not a transfer call: shown as the ETH it sends, with its call data
            }
        }
        BigInteger maxFee = null;
        BigInteger tip = null;
        BigInteger price = null;
        if (tx instanceof Eip1559Transaction t) {
            maxFee = t.maxFeePerGas();
            tip = t.maxPriorityFeePerGas();
        } else if (tx instanceof LegacyTransaction t) {
            price = t.gasPrice();
        }
        return new Review(tx.type(), tx.chainId(), tx.nonce(), tx.to().toChecksumHex(), tx.value(), recipient, amount,
                shownAs, token, maxFee, tip, price, tx.gasLimit(), tx.gasLimit().multiply(tx.maxPricePerGas()),
                "0x" + Bytes.toHex(data), "0x" + Bytes.toHex(tx.signingHash()));
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
