package org.mpcwallet.desktop.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.mpcwallet.crypto.core.Bytes;
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

    /** A request whose fields and hash agree: the transaction and its (locally computed) signing hash. */
    public record Checked(SignRequest request, EthTransaction tx, byte[] signingHash) {
        public String signingHashHex() {
            return "0x" + Bytes.toHex(signingHash);
        }
    }

    public static Checked check(SignRequest r) {
        EthTransaction tx;
        try {
            tx = r.fields().toTransaction();
        } catch (WalletException e) {
            throw new WalletException("refusing to sign request " + r.id() + ": its fields are invalid (" + e.getMessage()
                    + ")");
        }
        byte[] mine = tx.signingHash();
        if (!CosignCheck.hashMatches(tx, r.signingHash())) {
            throw new WalletException("refusing to sign request " + r.id() + ": the bank's signing hash "
                    + r.signingHash() + " does not match the hash of the request's fields (0x" + Bytes.toHex(mine)
                    + ")");
        }
        return new Checked(r, tx, mine);
    }

    /** {@code wei} in ETH, exact, without trailing zeros (e.g. "0.000000000000001"). */
    public static String eth(BigInteger wei) {
        BigDecimal eth = new BigDecimal(wei).movePointLeft(18).stripTrailingZeros();
        return eth.signum() == 0 ? "0" : eth.toPlainString();
    }
}
