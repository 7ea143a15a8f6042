package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.mpcwallet.crypto.eth.Eip1559TransactionTest.assertRejected;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.web3j.crypto.Hash;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.utils.Numeric;

/** The type dispatch the signer's permit check and the bank rely on: the payload's first byte names the type. */
class EthTransactionTest {

    @Test
    void decodesBothTypesByTheirFirstByte() {
        Random rnd = new Random(2718);
        for (int i = 0; i < 100; i++) {
            Eip1559Transaction a = Eip1559TransactionTest.randomTx(rnd);
            EthTransaction back = EthTransaction.decodeSigningPayload(a.signingPayload());
            assertInstanceOf(Eip1559Transaction.class, back);
            assertEquals(a, back);
            assertEquals(EthTransaction.Type.EIP1559, back.type());
            assertEquals(a.maxFeePerGas(), back.maxPricePerGas());

            LegacyTransaction b = LegacyTransactionTest.randomTx(rnd);
            back = EthTransaction.decodeSigningPayload(b.signingPayload());
            assertInstanceOf(LegacyTransaction.class, back);
            assertEquals(b, back);
            assertEquals(EthTransaction.Type.LEGACY, back.type());
            assertEquals(b.gasPrice(), back.maxPricePerGas());
        }
    }

    @Test
    void transactionHashIsKeccakOfTheSignedEncodingAsWeb3jDecodesIt() throws Exception {
        Random rnd = new Random(155);
        for (int i = 0; i < 20; i++) {
            Web3jSigner signer = Web3jSigner.of(RandomValues.privateKey(rnd));
            EthTransaction[] both = {Eip1559TransactionTest.randomTx(rnd), LegacyTransactionTest.randomTx(rnd)};
            for (EthTransaction tx : both) {
                EcdsaSignature sig = signer.sign(tx.signingHash());
                byte[] signed = tx.encodeSigned(sig);
                assertArrayEquals(Hash.sha3(signed), tx.transactionHash(sig));
                // web3j tells the two kinds apart the same way (first byte)
                boolean web3jLegacy = TransactionDecoder.decode(Numeric.toHexString(signed)).getType().isLegacy();
                assertEquals(tx.type() == EthTransaction.Type.LEGACY, web3jLegacy, tx.toString());
            }
        }
    }

    @Test
    void otherTypesAndMalformedPayloadsAreRejected() {
        Eip1559Transaction a = Eip1559TransactionTest.randomTx(new Random(1));
        byte[] typed = a.signingPayload();
        byte[] asAccessList = typed.clone();
        asAccessList[0] = 0x01; // EIP-2930
        assertRejected(() -> EthTransaction.decodeSigningPayload(asAccessList), "unsupported transaction type 0x1");
        byte[] asBlob = typed.clone();
        asBlob[0] = 0x03; // EIP-4844
        assertRejected(() -> EthTransaction.decodeSigningPayload(asBlob), "unsupported transaction type 0x3");
        assertRejected(() -> EthTransaction.decodeSigningPayload(new byte[0]), "empty signing payload");
        assertRejected(() -> EthTransaction.decodeSigningPayload(null), "empty signing payload");
        // an EIP-1559 body without its type byte is an RLP list, but not a valid EIP-155 payload
        byte[] untyped = java.util.Arrays.copyOfRange(typed, 1, typed.length);
        assertRejected(() -> EthTransaction.decodeSigningPayload(untyped), "");
        // a legacy payload behind a 0x02 byte is not an EIP-1559 payload
        LegacyTransaction b = LegacyTransactionTest.randomTx(new Random(2));
        assertRejected(() -> EthTransaction.decodeSigningPayload(Bytes.concat(new byte[] {2}, b.signingPayload())),
                "");
    }

    @Test
    void typeNamesParseStrictly() {
        assertEquals(EthTransaction.Type.EIP1559, EthTransaction.Type.parse("EIP1559"));
        assertEquals(EthTransaction.Type.LEGACY, EthTransaction.Type.parse("LEGACY"));
        assertRejected(() -> EthTransaction.Type.parse("legacy"), "EIP1559 or LEGACY");
        assertRejected(() -> EthTransaction.Type.parse(null), "EIP1559 or LEGACY");
        assertRejected(() -> EthTransaction.Type.parse("EIP2930"), "EIP1559 or LEGACY");
    }
}
