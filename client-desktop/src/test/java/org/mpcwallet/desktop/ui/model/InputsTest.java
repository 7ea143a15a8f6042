package org.mpcwallet.desktop.ui.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The window's fields as typed: the value taken, or the sentence shown next to the field. */
class InputsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5|18|1500000000000000000",
        "0.000000000000000001|18|1",
        "250|6|250000000",
        "250.5|6|250500000",
        ".5|18|500000000000000000",
        "  2  |0|2",
        "007|2|700"
    })
    void amountsInUnitsBecomeExactBaseUnits(String text, int decimals, String base) {
        assertEquals(new BigInteger(base), Inputs.amount(text, decimals, "X").valueOrNull());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|18|Enter an amount in ETH",
        "0|18|The amount must be more than 0",
        "0.000|18|The amount must be more than 0",
        "-1|18|The amount must be more than 0",
        "1,5|18|Use a point for decimals (1.5), no commas",
        "1e18|18|Write the amount as a number, e.g. 1.5",
        "1.|18|Write the amount as a number, e.g. 1.5",
        "1.2.3|18|Write the amount as a number, e.g. 1.5",
        "0.1234567890123456789|18|ETH has at most 18 decimals",
        "1.5|0|ETH has no decimals",
        "1.25|1|ETH has at most 1 decimal",
        "١|18|Write the amount as a number, e.g. 1.5"
    })
    void badAmountsSayWhatToType(String text, int decimals, String message) {
        Checked<BigInteger> c = Inputs.amount(text, decimals, "ETH");
        assertNull(c.valueOrNull());
        assertEquals(message, c.problem());
    }

    @Test
    void recipientsNeedTheirChecksum() {
        String eip55 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        assertEquals(eip55, Inputs.recipient("  " + eip55 + " ").valueOrNull());
        assertTrue(Inputs.recipient(eip55.toLowerCase()).problem().startsWith("This address has no checksum (it is "
                + "all small letters)"));
        assertTrue(Inputs.recipient("0x" + eip55.substring(2).toUpperCase()).problem().contains("all capital"));
        String typo = "0x70997970C51812dc3A010C7d01b50e0d17dc79c8";
        assertTrue(Inputs.recipient(typo).problem().startsWith("The address's checksum does not match"));
        assertEquals("An Ethereum address has 40 characters after 0x; this one has 39",
                Inputs.recipient(eip55.substring(0, 41)).problem());
        assertEquals("Character 5 ('g') is not 0-9 or a-f",
                Inputs.recipient("0x70g97970C51812dc3A010C7d01b50e0d17dc79C8").problem());
        assertEquals("An Ethereum address starts with 0x", Inputs.recipient(eip55.substring(2)).problem());
        assertTrue(Inputs.recipient("0x" + "0".repeat(40)).problem().startsWith("This is the zero address"));
        assertEquals("0x3535353535353535353535353535353535353535",
                Inputs.recipient("0x3535353535353535353535353535353535353535").valueOrNull(), "digits only: no letters "
                        + "to check");
    }

    @Test
    void theServerAddressIsCleanedOrExplained() {
        assertEquals("https://bank.example:8443", Inputs.serverUrl(" https://bank.example:8443/ ").valueOrNull());
        assertEquals("http://127.0.0.1:8080", Inputs.serverUrl("http://127.0.0.1:8080").valueOrNull());
        assertNull(((Checked.Ok<String>) Inputs.serverUrl("http://127.0.0.1:8080")).note(), "loopback needs no TLS");
        assertTrue(((Checked.Ok<String>) Inputs.serverUrl("http://bank.example")).note().startsWith("Not encrypted"));
        assertTrue(Inputs.serverUrl("ftp://bank.example").problem().contains("https://"));
        assertTrue(Inputs.serverUrl("https://bank.example/v1/wallets").problem().startsWith("Enter only the server"));
        assertTrue(Inputs.serverUrl("").problem().startsWith("Enter the address"));
        assertTrue(Inputs.serverUrl("https://user:pw@bank.example").problem().startsWith("Enter only the server"));
    }

    @Test
    void namesAndUsernames() {
        assertEquals("Savings", Inputs.walletName("  Savings ").valueOrNull());
        assertEquals("Give the wallet a name, e.g. Savings", Inputs.walletName("   ").problem());
        assertEquals("A wallet name has at most 64 characters", Inputs.walletName("x".repeat(65)).problem());
        assertEquals("alice.b-2", Inputs.username("alice.b-2").valueOrNull());
        assertEquals("A user name has 3 to 64 characters", Inputs.username("al").problem());
        assertEquals("A user name has only letters, digits, '.', '_' and '-'", Inputs.username("al ice").problem());
    }
}
