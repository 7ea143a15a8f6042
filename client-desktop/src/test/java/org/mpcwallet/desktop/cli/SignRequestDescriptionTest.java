package org.mpcwallet.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.TxFields;

/** What the device prints before it asks to co-sign: the fees of the transaction's own type. */
class SignRequestDescriptionTest {
    private static final String TO = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    private static String describe(TxFields f) {
        String hash = "0x" + Bytes.toHex(f.toTransaction().signingHash());
        return WalletCli.describe(SigningCheck.check(new SignRequest("req-1", "wallet-1", "PENDING", f, hash, null,
                null, null, null, null, null)));
    }

    @Test
    void anEip1559RequestShowsBothFees() {
        String shown = describe(new TxFields("31337", "4", "1000000000", "2000000000", "21000", TO, "1000", "0x"));
        assertTrue(shown.contains("max fee:      2000000000 wei/gas"), shown);
        assertTrue(shown.contains("priority fee: 1000000000 wei/gas"), shown);
        assertFalse(shown.contains("gas price"), shown);
        assertTrue(shown.contains("nonce:        4"), shown);
    }

    @Test
    void aLegacyRequestShowsItsGasPriceAndSaysItIsLegacy() {
        String shown = describe(TxFields.legacy("31337", "4", "1500000000", "21000", TO, "1000", "0x"));
        assertTrue(shown.contains("gas price:    1500000000 wei/gas (legacy EIP-155 transaction)"), shown);
        assertFalse(shown.contains("max fee"), shown);
        assertTrue(shown.contains("(computed on this device; equals the bank's)"), shown);
    }
}
