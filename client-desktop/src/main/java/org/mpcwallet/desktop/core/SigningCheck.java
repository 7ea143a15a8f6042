package org.mpcwallet.desktop.core;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.Amounts;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.eth.EthTransaction;

/**
 * What the device checks before it co-signs: it rebuilds the transaction of the request's stated type (EIP-1559 or
 * EIP-155) from its fields, recomputes the signing hash itself and refuses when the bank's {@code signingHash}
 * differs. The device signs the hash it computed, never one it was handed. The check itself is shared with the
 * browser (shared-crypto {@code device.CosignCheck}); this adapter turns its answers into the CLI's messages.
 */
public final class SigningCheck {
    private SigningCheck() {}

    /**
     * A request whose fields and hash agree: the transaction, its (locally computed) signing hash and what the user is
     * shown (shared-crypto {@code CosignCheck.Review}).
     */
    public record Checked(SignRequest request, EthTransaction tx, byte[] signingHash, CosignCheck.Review review) {
        public String signingHashHex() {
            return "0x" + Bytes.toHex(signingHash);
        }
    }

    public static Checked check(SignRequest r) {
        return check(r, CosignCheck.Asset.ETH);
    }

    /** Checks {@code r} and reviews it as a transfer of {@code asset} (an ERC-20 transfer on its contract decoded). */
    public static Checked check(SignRequest r, CosignCheck.Asset asset) {
        return check(r, asset, CosignCheck.FeeCeiling.NONE);
    }

    /**
     * Checks {@code r}, also against the fee {@code ceiling} (a fee above it is refused with the shared check's
     * message, which names the fee and the ceiling), and reviews it as a transfer of {@code asset}.
     */
    public static Checked check(SignRequest r, CosignCheck.Asset asset, CosignCheck.FeeCeiling ceiling) {
        TxFields f = r.fields();
        CosignCheck.Outcome o = CosignCheck.check(new CosignCheck.Fields(f.type(), f.chainId(), f.nonce(),
                f.maxPriorityFeePerGas(), f.maxFeePerGas(), f.gasPrice(), f.gasLimit(), f.to(), f.valueWei(),
                f.data()), r.signingHash(), r.walletId(), null, asset, ceiling);
        if (o instanceof CosignCheck.Outcome.Refused refused) {
            throw new WalletException(refused.message(r.id(), null));
        }
        CosignCheck.Outcome.Ok ok = (CosignCheck.Outcome.Ok) o;
        return new Checked(r, ok.tx(), ok.tx().signingHash(), ok.review());
    }

    /** {@code wei} in ETH, exact, without trailing zeros (e.g. "0.000000000000001"). */
    public static String eth(BigInteger wei) {
        return Amounts.eth(wei);
    }
}
