package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;

class SigningCheckTest {
    static final TxFields FIELDS = new TxFields("31337", "0", "1000000000", "2000000000", "21000",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1000000000000000", "0x");

    static SignRequest request(TxFields f, String hash) {
        return new SignRequest("req-1", "wallet-1", "PENDING", f, hash, null, null, null, null, null, null);
    }

    static String hashOf(TxFields f) {
        return "0x" + Bytes.toHex(f.toTransaction().signingHash());
    }

    @Test
    void acceptsARequestWhoseHashIsTheHashOfItsFields() {
        SigningCheck.Checked c = SigningCheck.check(request(FIELDS, hashOf(FIELDS)));
        assertArrayEquals(FIELDS.toTransaction().signingHash(), c.signingHash());
        assertEquals(new BigInteger("1000000000000000"), c.tx().value());
        assertEquals(hashOf(FIELDS), c.signingHashHex());
    }

    @Test
    void refusesARequestWhoseHashDoesNotMatchItsFields() {
        TxFields other = new TxFields("31337", "0", "1000000000", "2000000000", "21000",
                "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "9000000000000000000", "0x");
        // the bank shows 9 ETH but hands over the hash of the 0.001 ETH transfer (or the reverse): refused
        WalletException e = assertThrows(WalletException.class,
                () -> SigningCheck.check(request(other, hashOf(FIELDS))));
        assertTrue(e.getMessage().startsWith("refusing to sign request req-1: the bank's signing hash "
                + hashOf(FIELDS) + " does not match the hash of the request's fields (" + hashOf(other) + ")"),
                e.getMessage());
        for (String bad : new String[] {"0x", "0x1234", "zz", hashOf(FIELDS).substring(0, 64)}) {
            assertThrows(WalletException.class, () -> SigningCheck.check(request(FIELDS, bad)), bad);
        }
    }

    @Test
    void refusesInvalidFields() {
        TxFields badTo = new TxFields("31337", "0", "1", "2", "21000", "0x1234", "1", "0x");
        WalletException e = assertThrows(WalletException.class, () -> SigningCheck.check(request(badTo, "0x00")));
        assertTrue(e.getMessage().contains("fields are invalid (to:"), e.getMessage());
        TxFields tipAboveFee = new TxFields("31337", "0", "3", "2", "21000",
                "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1", "0x");
        assertThrows(WalletException.class, () -> SigningCheck.check(request(tipAboveFee, "0x00")));
        for (String n : new String[] {"-1", "01", "1.5", " 1", "", "0x10"}) {
            assertThrows(WalletException.class, () -> TxFields.decimal(n, "nonce"), n);
        }
    }

    @Test
    void formatsWeiAsEth() {
        assertEquals("0.001", SigningCheck.eth(new BigInteger("1000000000000000")));
        assertEquals("1", SigningCheck.eth(BigInteger.TEN.pow(18)));
        assertEquals("0.000000000000000001", SigningCheck.eth(BigInteger.ONE));
        assertEquals("0", SigningCheck.eth(BigInteger.ZERO));
    }
}
