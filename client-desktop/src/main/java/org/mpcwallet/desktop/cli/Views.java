package org.mpcwallet.desktop.cli;

import java.math.BigInteger;
import org.mpcwallet.crypto.device.Amounts;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.TxRequestInfo;

/**
 * What the command-line wallet shows people, as text: amounts, checksummed addresses, a transaction request and a
 * sign request before co-signing (from the shared co-sign check's review). No I/O.
 */
final class Views {
    private Views() {
    }

    static String amountText(TxRequestInfo r) {
        if ("ETH".equals(r.asset())) {
            String eth = ethOrNull(r.amount());
            return (eth == null ? r.amount() : eth) + " ETH (" + r.amount() + " wei)";
        }
        return r.amount() + " base units of " + r.asset();
    }

    /** {@code amount} base units at {@code decimals} as a plain decimal. */
    static String units(String amount, int decimals) {
        try {
            return Amounts.units(new BigInteger(amount), decimals);
        } catch (RuntimeException e) {
            return String.valueOf(amount);
        }
    }

    /**
     * An address as people read it: the EIP-55 checksummed form (the bank stores and answers lower case; issue 10 §5:
     * every screen shows the checksum). Anything that is not an address is shown as it came.
     */
    static String shown(String address) {
        try {
            return address == null ? "-" : EthAddress.parse(address).toChecksumHex();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    static String describeTxRequest(TxRequestInfo r) {
        StringBuilder b = new StringBuilder("Transaction request " + r.id() + " of wallet " + r.walletId() + "\n");
        b.append("  status:       ").append(r.status()).append('\n');
        b.append("  transfer:     ").append(amountText(r)).append(" to ").append(shown(r.to())).append('\n');
        if (r.note() != null) {
            b.append("  note:         ").append(r.note()).append('\n');
        }
        if (r.kytVerdict() != null) {
            b.append("  KYT:          ").append(r.kytVerdict())
                    .append(r.kytCaseId() == null ? "" : " (case " + r.kytCaseId() + ")").append('\n');
        }
        if (r.policyResult() != null) {
            b.append("  policy:       ").append(r.policyResult()).append('\n');
        }
        b.append("  approvals:    ").append(r.approvals()).append(" of ").append(r.requiredApprovals());
        for (TxRequestInfo.Vote v : r.votes()) {
            b.append("\n    ").append(v.decision()).append(" by ").append(v.userId())
                    .append(v.comment() == null ? "" : ": " + v.comment());
        }
        if (r.nonce() != null) {
            b.append("\n  nonce:        ").append(r.nonce());
        }
        if (r.signRequestId() != null) {
            b.append("\n  sign request: ").append(r.signRequestId());
        }
        if (r.txHash() != null) {
            b.append("\n  tx hash:      ").append(r.txHash());
            b.append("\n  confirmations: ").append(r.confirmations())
                    .append(r.blockNumber() == null ? "" : " (block " + r.blockNumber() + ")");
        }
        if (r.lastError() != null) {
            b.append("\n  last error:   ").append(r.lastError());
        }
        return b.toString();
    }

    static String ethOrNull(String wei) {
        try {
            return SigningCheck.eth(new BigInteger(wei));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String describe(SigningCheck.Checked c) {
        return describe(c, null);
    }

    /**
     * The sign request as its fields were checked (the lines shown since the first version), then the review in
     * units a person reads, all from the shared check's review of the transaction rebuilt on this device: type,
     * recipient (EIP-55), amount in the asset's units (and the token contract of an ERC-20 transfer), chain id, nonce,
     * fee cap and priority fee in gwei (the gas price of a legacy transaction), gas limit, the maximum fee in ETH,
     * and the fee ceiling {@code ceilingWei} when there is one (null: none).
     */
    static String describe(SigningCheck.Checked c, BigInteger ceilingWei) {
        return fields(c) + "\n" + review(c.review(), ceilingWei);
    }

    private static String fields(SigningCheck.Checked c) {
        CosignCheck.Review v = c.review();
        String fees = v.type() == EthTransaction.Type.LEGACY
                ? "  gas price:    " + v.gasPrice() + " wei/gas (legacy EIP-155 transaction)\n"
                : "  max fee:      " + v.maxFeePerGas() + " wei/gas\n"
                        + "  priority fee: " + v.maxPriorityFeePerGas() + " wei/gas\n";
        return "Sign request " + c.request().id() + " of wallet " + c.request().walletId() + "\n"
                + "  to:           " + v.to() + "\n"
                + "  value:        " + v.valueEth() + " ETH (" + v.valueWei() + " wei)\n"
                + "  chain id:     " + v.chainId() + "\n"
                + "  nonce:        " + v.nonce() + "\n"
                + fees
                + "  gas limit:    " + v.gasLimit() + "\n"
                + "  data:         " + v.dataHex() + " (" + v.dataLength() + " bytes)\n"
                + "  signing hash: " + v.signingHashHex() + " (computed on this device; equals the bank's)";
    }

    /** The review lines of {@link #describe(SigningCheck.Checked, BigInteger)}. */
    static String review(CosignCheck.Review v, BigInteger ceilingWei) {
        boolean legacy = v.type() == EthTransaction.Type.LEGACY;
        StringBuilder b = new StringBuilder("You are about to co-sign (computed on this device):\n");
        b.append("  type:           ").append(legacy ? "legacy (EIP-155)" : "EIP-1559 (type 2)").append('\n');
        b.append("  recipient:      ").append(v.recipient()).append('\n');
        b.append("  amount:         ").append(v.amountText()).append('\n');
        if (v.tokenContract() != null) {
            b.append("  token contract: ").append(v.tokenContract()).append(" (ERC-20 transfer)\n");
        } else if (v.dataLength() > 0) {
            b.append("  call data:      ").append(v.dataLength()).append(" bytes, not decoded: the transaction may do "
                    + "more than send the amount above\n");
        }
        b.append("  chain id:       ").append(v.chainId()).append('\n');
        b.append("  nonce:          ").append(v.nonce()).append('\n');
        if (legacy) {
            b.append("  gas price:      ").append(v.feeCapGwei()).append(" gwei per gas\n");
        } else {
            b.append("  fee cap:        ").append(v.feeCapGwei()).append(" gwei per gas\n");
            b.append("  priority fee:   ").append(v.priorityFeeGwei()).append(" gwei per gas\n");
        }
        b.append("  gas limit:      ").append(v.gasLimit()).append('\n');
        b.append("  maximum fee:    ").append(v.maxFeeEth()).append(" ETH (gas limit × ")
                .append(legacy ? "gas price" : "fee cap").append(')');
        if (ceilingWei != null) {
            b.append("\n  fee ceiling:    ").append(Amounts.eth(ceilingWei))
                    .append(" ETH (--max-fee-eth; the maximum fee is within it)");
        }
        return b.toString();
    }
}
