package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.mpcwallet.crypto.eth.Eip1559TransactionTest.assertRejected;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

class LegacyTransactionTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    // ---------------------------------------------------------------- known answer: the EIP-155 example

    @Test
    void eip155SpecExample() {
        Map<String, String> v = Vectors.properties("vectors/eth/eip155-example.txt");
        LegacyTransaction tx = new LegacyTransaction(new BigInteger(Vectors.require(v, "chainId")),
                new BigInteger(Vectors.require(v, "nonce")), new BigInteger(Vectors.require(v, "gasPrice")),
                new BigInteger(Vectors.require(v, "gasLimit")), EthAddress.parse(Vectors.require(v, "to")),
                new BigInteger(Vectors.require(v, "value")), Vectors.hex(Vectors.require(v, "data")));

        assertArrayEquals(Vectors.hex(Vectors.require(v, "signingData")), tx.signingPayload(), "signing data");
        assertArrayEquals(Vectors.hex(Vectors.require(v, "signingHash")), tx.signingHash(), "signing hash");

        EcdsaSignature sig = Web3jSigner.of(Numeric.toBigInt(Vectors.require(v, "privateKey"))).sign(tx.signingHash());
        assertEquals(new BigInteger(Vectors.require(v, "r")), sig.r(), "r");
        assertEquals(new BigInteger(Vectors.require(v, "s")), sig.s(), "s");
        assertEquals(new BigInteger(Vectors.require(v, "v")), tx.v(sig.recoveryId()), "v");

        byte[] signed = Vectors.hex(Vectors.require(v, "signedTx"));
        assertArrayEquals(signed, tx.encodeSigned(sig), "signed tx");

        SignedLegacyTransaction decoded = LegacyTransaction.decodeSigned(signed);
        assertEquals(tx, decoded.transaction());
        assertEquals(sig, decoded.signature());
        assertArrayEquals(Hash.sha3(signed), decoded.transactionHash());
        assertEquals(tx, LegacyTransaction.decode(tx.signingPayload()));
    }

    // ---------------------------------------------------------------- cross-check with web3j

    @Test
    void randomTransactionsMatchWeb3jByteForByte() throws Exception {
        Random rnd = new Random(155);
        for (int i = 0; i < 400; i++) {
            LegacyTransaction tx = randomTx(rnd);
            long chainId = tx.chainId().longValueExact();
            RawTransaction raw = RawTransaction.createTransaction(tx.nonce(), tx.gasPrice(), tx.gasLimit(),
                    tx.to().toLowerHex(), tx.value(), Numeric.toHexString(tx.data()));
            String ctx = "#" + i + " " + tx;

            assertArrayEquals(TransactionEncoder.encode(raw, chainId), tx.signingPayload(), ctx);

            Web3jSigner signer = Web3jSigner.of(RandomValues.privateKey(rnd));
            EcdsaSignature sig = signer.sign(tx.signingHash());
            byte[] ours = tx.encodeSigned(sig);
            assertArrayEquals(TransactionEncoder.signMessage(raw, chainId, Credentials.create(signer.keyPair())),
                    ours, ctx);

            // web3j's decoder keeps v in a signed long: its sender recovery is only right while 2 * chainId + 36
            // fits (found by this test: for chainId near the EIP-2294 maximum it recovers a wrong sender)
            if (chainId <= (Long.MAX_VALUE - 36) / 2) {
                SignedRawTransaction decoded =
                        (SignedRawTransaction) TransactionDecoder.decode(Numeric.toHexString(ours));
                assertEquals(signer.address().toLowerHex(), decoded.getFrom().toLowerCase(Locale.ROOT), ctx);
                assertEquals(Long.valueOf(chainId), decoded.getChainId(), ctx);
            }

            SignedLegacyTransaction back = LegacyTransaction.decodeSigned(ours);
            assertEquals(tx, back.transaction(), ctx);
            assertEquals(sig, back.signature(), ctx);
            assertEquals(tx, LegacyTransaction.decode(tx.signingPayload()), ctx);
        }
    }

    @Test
    void vForLargeChainIds() {
        LegacyTransaction tx = withChainId(RandomValues.MAX_CHAIN_ID);
        assertEquals(TWO_64.subtract(BigInteger.valueOf(38)), tx.v(1), "largest v still fits in 64 bits");
        EcdsaSignature sig = Web3jSigner.of(BigInteger.TEN).sign(tx.signingHash());
        assertEquals(tx, LegacyTransaction.decodeSigned(tx.encodeSigned(sig)).transaction());
        assertRejected(() -> tx.v(2), "recovery id");
        assertRejected(() -> tx.v(-1), "recovery id");
    }

    // ---------------------------------------------------------------- strict decoding

    @Test
    void rejectsUnprotectedAndInvalidV() {
        assertVRejected(BigInteger.valueOf(27), "pre-EIP-155");
        assertVRejected(BigInteger.valueOf(28), "pre-EIP-155");
        assertVRejected(BigInteger.ZERO, "EIP-155");
        assertVRejected(BigInteger.ONE, "EIP-155");
        assertVRejected(BigInteger.valueOf(35), "chainId >= 1"); // chainId 0
        assertVRejected(BigInteger.valueOf(36), "chainId >= 1");
        // chainId = EIP-2294 maximum + 1 (v still fits in 64 bits)
        assertVRejected(RandomValues.MAX_CHAIN_ID.add(BigInteger.ONE).shiftLeft(1).add(BigInteger.valueOf(35)),
                "EIP-2294");
        assertVRejected(TWO_64, "exceeds 64 bits");
    }

    @Test
    void rejectsWrongShape() {
        byte[] good = validSigned();
        assertRejected(() -> LegacyTransaction.decodeSigned(null), "empty");
        assertRejected(() -> LegacyTransaction.decodeSigned(new byte[0]), "empty");
        assertRejected(() -> LegacyTransaction.decodeSigned(Bytes.concat(new byte[] {2}, good)), "not an RLP list");
        assertRejected(() -> LegacyTransaction.decodeSigned(Bytes.concat(good, new byte[] {(byte) 0x80})),
                "trailing");
        List<RlpItem> f = signedFields();
        assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(f.subList(0, 6)))), "9 fields");
        List<RlpItem> more = new ArrayList<>(f);
        more.add(RlpString.EMPTY);
        assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(more))), "9 fields");
    }

    @Test
    void rejectsNonCanonicalIntegers() {
        for (int index : new int[] {0, 1, 2, 4, 6, 7, 8}) {
            List<RlpItem> f = signedFields();
            byte[] v = ((RlpString) f.get(index)).bytes();
            f.set(index, new RlpString(Bytes.concat(new byte[] {0}, v)));
            assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(f))), "leading zero");
        }
    }

    @Test
    void rejectsBadFields() {
        assertFieldRejected(0, TWO_64.subtract(BigInteger.ONE), "EIP-2681");
        assertFieldRejected(1, TWO_256, "exceeds 256 bits");
        assertFieldRejected(2, TWO_64, "exceeds 64 bits");
        assertFieldRejected(4, TWO_256, "exceeds 256 bits");
        List<RlpItem> f = signedFields();
        f.set(3, RlpString.EMPTY);
        assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(f))), "contract creation");
        f.set(3, new RlpString(new byte[21]));
        assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(f))), "20 bytes");
        f.set(3, RlpList.EMPTY);
        assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(f))), "string");
    }

    @Test
    void rejectsBadSignatures() {
        BigInteger n = Secp256k1.N;
        assertFieldRejected(7, BigInteger.ZERO, "invalid signature");
        assertFieldRejected(8, BigInteger.ZERO, "invalid signature");
        assertFieldRejected(7, n, "invalid signature");
        BigInteger s = ((RlpString) signedFields().get(8)).toUnsigned(256, "s");
        assertFieldRejected(8, n.subtract(s), "low-s");
    }

    @Test
    void signingPayloadDecodingRequiresTheEip155Tail() {
        LegacyTransaction tx = fixtureTx();
        List<RlpItem> f = new ArrayList<>(((RlpList) Rlp.decode(tx.signingPayload())).items());
        List<RlpItem> r1 = new ArrayList<>(f);
        r1.set(7, RlpString.ofUnsigned(BigInteger.ONE));
        assertRejected(() -> LegacyTransaction.decode(Rlp.encode(new RlpList(r1))), "chainId, 0, 0");
        List<RlpItem> s1 = new ArrayList<>(f);
        s1.set(8, RlpString.ofUnsigned(BigInteger.ONE));
        assertRejected(() -> LegacyTransaction.decode(Rlp.encode(new RlpList(s1))), "chainId, 0, 0");
        List<RlpItem> zeroByte = new ArrayList<>(f);
        zeroByte.set(7, new RlpString(new byte[] {0}));
        assertRejected(() -> LegacyTransaction.decode(Rlp.encode(new RlpList(zeroByte))), "leading zero");
        List<RlpItem> chain0 = new ArrayList<>(f);
        chain0.set(6, RlpString.EMPTY);
        assertRejected(() -> LegacyTransaction.decode(Rlp.encode(new RlpList(chain0))), "chainId must be positive");
        assertRejected(() -> LegacyTransaction.decode(Rlp.encode(new RlpList(f.subList(0, 6)))), "9 fields");
    }

    // ---------------------------------------------------------------- construction

    @Test
    void constructorValidatesAndCopies() {
        BigInteger one = BigInteger.ONE;
        EthAddress to = new EthAddress(new byte[20]);
        byte[] d = {5};
        assertRejected(() -> new LegacyTransaction(BigInteger.ZERO, one, one, one, to, one, d), "chainId");
        assertRejected(() -> new LegacyTransaction(TWO_64, one, one, one, to, one, d), "chainId");
        assertRejected(() -> new LegacyTransaction(RandomValues.MAX_CHAIN_ID.add(one), one, one, one, to, one, d),
                "EIP-2294");
        assertRejected(() -> new LegacyTransaction(one, TWO_64.subtract(one), one, one, to, one, d), "nonce");
        assertRejected(() -> new LegacyTransaction(one, one, TWO_256, one, to, one, d), "gasPrice");
        assertRejected(() -> new LegacyTransaction(one, one, one, TWO_64, to, one, d), "gasLimit");
        assertRejected(() -> new LegacyTransaction(one, one, one, one, null, one, d), "contract creation");
        assertRejected(() -> new LegacyTransaction(one, one, one, one, to, one.negate(), d), "value");
        assertRejected(() -> new LegacyTransaction(one, one, one, one, to, one, null), "data");
        LegacyTransaction tx = new LegacyTransaction(one, one, one, one, to, one, d);
        d[0] = 6;
        assertArrayEquals(new byte[] {5}, tx.data());
        tx.data()[0] = 7;
        assertArrayEquals(new byte[] {5}, tx.data());
        assertEquals(tx, new LegacyTransaction(one, one, one, one, to, one, new byte[] {5}));
        assertEquals(tx.hashCode(), new LegacyTransaction(one, one, one, one, to, one, new byte[] {5}).hashCode());
        assertNotEquals(tx, new LegacyTransaction(BigInteger.TWO, one, one, one, to, one, new byte[] {5}));
        assertRejected(() -> tx.encodeSigned(null), "signature");
    }

    // ---------------------------------------------------------------- helpers

    static LegacyTransaction randomTx(Random rnd) {
        // web3j 5 computes v = 35 + 2 * chainId in BigInteger arithmetic, so the full long range is fine
        return new LegacyTransaction(RandomValues.chainId(rnd),
                RandomValues.below(rnd, TWO_64.subtract(BigInteger.ONE)), RandomValues.uint(rnd, 256),
                RandomValues.uint(rnd, 64), RandomValues.address(rnd), RandomValues.uint(rnd, 256),
                RandomValues.data(rnd));
    }

    private static LegacyTransaction fixtureTx() {
        return withChainId(BigInteger.valueOf(11155111));
    }

    private static LegacyTransaction withChainId(BigInteger chainId) {
        return new LegacyTransaction(chainId, BigInteger.valueOf(3), BigInteger.valueOf(1_000_000_000L),
                BigInteger.valueOf(60000), EthAddress.parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
                BigInteger.valueOf(12345), Erc20.transferCalldata(
                        EthAddress.parse("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"), BigInteger.valueOf(99)));
    }

    private static byte[] validSigned() {
        LegacyTransaction tx = fixtureTx();
        return tx.encodeSigned(Web3jSigner.of(BigInteger.valueOf(42)).sign(tx.signingHash()));
    }

    private static List<RlpItem> signedFields() {
        return new ArrayList<>(((RlpList) Rlp.decode(validSigned())).items());
    }

    private static void assertFieldRejected(int index, BigInteger value, String messagePart) {
        List<RlpItem> f = signedFields();
        f.set(index, RlpString.ofUnsigned(value));
        assertRejected(() -> LegacyTransaction.decodeSigned(Rlp.encode(new RlpList(f))), messagePart);
    }

    private static void assertVRejected(BigInteger v, String messagePart) {
        assertFieldRejected(6, v, messagePart);
    }
}
