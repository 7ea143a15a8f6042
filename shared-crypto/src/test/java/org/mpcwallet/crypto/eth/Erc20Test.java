package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mpcwallet.crypto.eth.Eip1559TransactionTest.assertRejected;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.hash.Keccak256;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

class Erc20Test {
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    @Test
    void selectorIsKeccakOfTheSignature() {
        byte[] hash = Keccak256.hash("transfer(address,uint256)".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(Arrays.copyOf(hash, 4), Erc20.transferSelector());
        assertEquals("a9059cbb", Bytes.toHex(Erc20.transferSelector()));
        Erc20.transferSelector()[0] = 0;
        assertEquals("a9059cbb", Bytes.toHex(Erc20.transferSelector()), "selector accessor copies");
    }

    @Test
    void randomCallDataMatchesWeb3jAbiEncoder() {
        Random rnd = new Random(20);
        for (int i = 0; i < 1000; i++) {
            EthAddress to = RandomValues.address(rnd);
            BigInteger amount = RandomValues.uint(rnd, 256);
            List<Type> args = List.of(new Address(to.toLowerHex()), new Uint256(amount));
            byte[] web3j = Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("transfer", args,
                    List.of())));
            byte[] ours = Erc20.transferCalldata(to, amount);
            assertArrayEquals(web3j, ours, to + " " + amount);
            assertEquals(Erc20.TRANSFER_CALLDATA_LENGTH, ours.length);
            Erc20Transfer decoded = Erc20.decodeTransfer(ours);
            assertEquals(new Erc20Transfer(to, amount), decoded);
            assertArrayEquals(ours, decoded.calldata());
        }
    }

    @Test
    void boundaryAmounts() {
        EthAddress to = EthAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        for (BigInteger amount : List.of(BigInteger.ZERO, BigInteger.ONE, TWO_256.subtract(BigInteger.ONE))) {
            assertEquals(amount, Erc20.decodeTransfer(Erc20.transferCalldata(to, amount)).amount());
        }
        assertRejected(() -> Erc20.transferCalldata(to, TWO_256), "2^256");
        assertRejected(() -> Erc20.transferCalldata(to, BigInteger.ONE.negate()), "negative");
        assertRejected(() -> Erc20.transferCalldata(to, null), "null");
        assertRejected(() -> Erc20.transferCalldata(null, BigInteger.ONE), "recipient");
    }

    @Test
    void knownLayout() {
        EthAddress to = EthAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        assertEquals("a9059cbb"
                        + "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
                        + "00000000000000000000000000000000000000000000000000000000000f4240",
                Bytes.toHex(Erc20.transferCalldata(to, BigInteger.valueOf(1_000_000))));
    }

    @Test
    void decodeRejectsWrongLength() {
        byte[] good = Erc20.transferCalldata(new EthAddress(new byte[20]), BigInteger.TEN);
        assertRejected(() -> Erc20.decodeTransfer(null), "null");
        for (int len : new int[] {0, 3, 4, 36, 67, 69, 100, 132}) {
            byte[] bad = Arrays.copyOf(good, len);
            assertRejected(() -> Erc20.decodeTransfer(bad), "exactly 68 bytes");
        }
    }

    @Test
    void decodeRejectsOtherSelectors() {
        byte[] good = Erc20.transferCalldata(new EthAddress(new byte[20]), BigInteger.TEN);
        for (int i = 0; i < 4; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            assertRejected(() -> Erc20.decodeTransfer(bad), "selector");
        }
        byte[] approve = good.clone();
        System.arraycopy(Bytes.fromHex("095ea7b3"), 0, approve, 0, 4); // approve(address,uint256)
        assertRejected(() -> Erc20.decodeTransfer(approve), "selector");
    }

    @Test
    void decodeRejectsDirtyAddressPadding() {
        byte[] good = Erc20.transferCalldata(new EthAddress(new byte[20]), BigInteger.TEN);
        for (int i = 4; i < 16; i++) {
            byte[] bad = good.clone();
            bad[i] = (byte) 0x80;
            assertRejected(() -> Erc20.decodeTransfer(bad), "upper 12 bytes");
        }
    }

    @Test
    void decodeDoesNotAliasTheInput() {
        EthAddress to = EthAddress.parse("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb");
        byte[] data = Erc20.transferCalldata(to, BigInteger.valueOf(77));
        Erc20Transfer t = Erc20.decodeTransfer(data);
        Arrays.fill(data, (byte) 0);
        assertEquals(to, t.to());
        assertEquals(BigInteger.valueOf(77), t.amount());
    }
}
