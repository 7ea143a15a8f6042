package org.mpcwallet.desktop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.LegacyTransaction;

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

    static final TxFields LEGACY = TxFields.legacy("31337", "0", "1500000000", "21000",
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1000000000000000", "0x");

    @Test
    void acceptsALegacyRequestAndSignsItsEip155Hash() {
        SigningCheck.Checked c = SigningCheck.check(request(LEGACY, hashOf(LEGACY)));
        LegacyTransaction tx = assertInstanceOf(LegacyTransaction.class, c.tx());
        assertEquals(new BigInteger("1500000000"), tx.gasPrice());
        assertArrayEquals(tx.signingHash(), c.signingHash());
    }

    @Test
    void theStatedTypeDecidesTheHashAndAMismatchIsRefused() {
        // the same numbers as an EIP-1559 transaction: a bank that states LEGACY but hands over the typed hash (or
        // the reverse) gets no signature
        TxFields typed = new TxFields("31337", "0", "1500000000", "1500000000", "21000",
                "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "1000000000000000", "0x");
        assertThrows(WalletException.class, () -> SigningCheck.check(request(LEGACY, hashOf(typed))));
        assertThrows(WalletException.class, () -> SigningCheck.check(request(typed, hashOf(LEGACY))));
    }

    @Test
    void refusesAMissingOrUnknownTypeAndFeeFieldsOfTheOtherType() {
        String to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        TxFields[] bad = {
            new TxFields(null, "31337", "0", "1", "2", null, "21000", to, "1", "0x"),
            new TxFields("EIP2930", "31337", "0", "1", "2", null, "21000", to, "1", "0x"),
            new TxFields("LEGACY", "31337", "0", null, "2", "2", "21000", to, "1", "0x"),
            new TxFields("EIP1559", "31337", "0", "1", "2", "2", "21000", to, "1", "0x"),
            new TxFields("LEGACY", "31337", "0", null, null, null, "21000", to, "1", "0x"),
        };
        for (TxFields f : bad) {
            WalletException e = assertThrows(WalletException.class, () -> SigningCheck.check(request(f, "0x00")),
                    f::toString);
            assertTrue(e.getMessage().contains("fields are invalid"), e.getMessage());
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
