package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.hash.Keccak256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

class Eip1559TransactionTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

    // ---------------------------------------------------------------- cross-check with web3j

    @Test
    void randomTransactionsMatchWeb3jByteForByte() throws Exception {
        Random rnd = new Random(1559);
        for (int i = 0; i < 400; i++) {
            Eip1559Transaction tx = randomTx(rnd);
            RawTransaction raw = RawTransaction.createTransaction(tx.chainId().longValueExact(), tx.nonce(),
                    tx.gasLimit(), tx.to().toLowerHex(), tx.value(), Numeric.toHexString(tx.data()),
                    tx.maxPriorityFeePerGas(), tx.maxFeePerGas());
            String ctx = "#" + i + " " + tx;

            byte[] web3jPayload = TransactionEncoder.encode(raw);
            assertArrayEquals(web3jPayload, tx.signingPayload(), ctx);
            assertArrayEquals(Hash.sha3(web3jPayload), tx.signingHash(), ctx);

            Web3jSigner signer = Web3jSigner.of(RandomValues.privateKey(rnd));
            EcdsaSignature sig = signer.sign(tx.signingHash());
            byte[] ours = tx.encodeSigned(sig);
            assertArrayEquals(TransactionEncoder.signMessage(raw, Credentials.create(signer.keyPair())), ours, ctx);

            // web3j decodes ours and recovers the sender we expect
            SignedRawTransaction decoded = (SignedRawTransaction) TransactionDecoder.decode(Numeric.toHexString(ours));
            assertEquals(signer.address().toLowerHex(), decoded.getFrom().toLowerCase(java.util.Locale.ROOT), ctx);

            // our strict decoders round-trip
            SignedEip1559Transaction back = Eip1559Transaction.decodeSigned(ours);
            assertEquals(tx, back.transaction(), ctx);
            assertEquals(sig, back.signature(), ctx);
            assertArrayEquals(ours, back.encoded(), ctx);
            assertArrayEquals(Hash.sha3(ours), back.transactionHash(), ctx);
            assertEquals(tx, Eip1559Transaction.decode(tx.signingPayload()), ctx);
        }
    }

    // ---------------------------------------------------------------- known answers (ethereumjs / Besu)

    @Test
    void ethereumjsSignedVectors() {
        List<String[]> rows = Vectors.rows("vectors/eth/eip1559-ethereumjs.txt", 9);
        assertEquals(10, rows.size(), "vector count");
        int hashes = 0;
        for (String[] r : rows) {
            Eip1559Transaction tx = new Eip1559Transaction(BigInteger.valueOf(4), new BigInteger(r[0]),
                    new BigInteger(r[3]), new BigInteger(r[4]), new BigInteger(r[2]), EthAddress.parse(r[5]),
                    new BigInteger(r[1]), new byte[0]);
            byte[] expected = ((RlpString) Rlp.decode(Vectors.hex(r[7]))).bytes(); // unwrap the network form
            EcdsaSignature sig = Web3jSigner.of(Numeric.toBigInt(r[6])).sign(tx.signingHash());
            assertArrayEquals(expected, tx.encodeSigned(sig), "nonce " + r[0]);
            SignedEip1559Transaction decoded = Eip1559Transaction.decodeSigned(expected);
            assertEquals(tx, decoded.transaction());
            assertEquals(sig, decoded.signature());
            if (!r[8].equals("-")) {
                assertArrayEquals(Vectors.hex(r[8]), decoded.transactionHash(), "tx hash, nonce " + r[0]);
                hashes++;
            }
        }
        assertEquals(1, hashes);
    }

    @Test
    void accessListPayloadFromEthereumjsIsRejected() {
        String[] r = Vectors.rows("vectors/eth/eip1559-access-list-ethereumjs.txt", 2).get(0);
        byte[] payload = Vectors.hex(r[0]);
        assertArrayEquals(Vectors.hex(r[1]), Keccak256.hash(payload));
        assertRejected(() -> Eip1559Transaction.decode(payload), "access list");
    }

    // ---------------------------------------------------------------- strict decoding: envelope

    @Test
    void rejectsWrongEnvelope() {
        byte[] good = validSigned();
        assertRejected(() -> Eip1559Transaction.decodeSigned(null), "empty");
        assertRejected(() -> Eip1559Transaction.decodeSigned(new byte[0]), "empty");
        assertRejected(() -> Eip1559Transaction.decodeSigned(new byte[] {2}), "empty");
        for (int type : new int[] {0x00, 0x01, 0x03, 0x04, 0x7f, 0x80, 0xbf}) {
            byte[] bad = good.clone();
            bad[0] = (byte) type;
            assertRejected(() -> Eip1559Transaction.decodeSigned(bad), "type");
        }
        byte[] legacy = java.util.Arrays.copyOfRange(good, 1, good.length);
        assertRejected(() -> Eip1559Transaction.decodeSigned(legacy), "legacy");
        assertRejected(() -> Eip1559Transaction.decodeSigned(Bytes.concat(good, new byte[] {0})), "trailing");
        assertRejected(() -> Eip1559Transaction.decodeSigned(java.util.Arrays.copyOf(good, good.length - 1)),
                "truncated");
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(new RlpString(new byte[] {1, 2}))), "list");
    }

    @Test
    void rejectsWrongFieldCount() {
        List<RlpItem> f = signedFields();
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f.subList(0, 11))), "12 fields");
        List<RlpItem> more = new ArrayList<>(f);
        more.add(RlpString.EMPTY);
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(more)), "12 fields");
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f.subList(0, 9))), "12 fields");
        // signing payload: exactly 9
        assertRejected(() -> Eip1559Transaction.decode(typed(f)), "9 fields");
        assertRejected(() -> Eip1559Transaction.decode(typed(f.subList(0, 8))), "9 fields");
    }

    // ---------------------------------------------------------------- strict decoding: fields

    @Test
    void rejectsNonCanonicalIntegersInEveryIntegerField() {
        // chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, value, yParity, r, s
        for (int index : new int[] {0, 1, 2, 3, 4, 6, 9, 10, 11}) {
            List<RlpItem> f = signedFields();
            byte[] v = ((RlpString) f.get(index)).bytes();
            f.set(index, new RlpString(Bytes.concat(new byte[] {0}, v)));
            assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), "leading zero");
        }
        // yParity 0 written as 0x00 instead of the empty string
        List<RlpItem> f = signedFields();
        assertEquals(0, ((RlpString) f.get(9)).length(), "fixture has yParity 0");
        f.set(9, new RlpString(new byte[] {0}));
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), "leading zero");
    }

    @Test
    void rejectsListsWhereStringsBelong() {
        for (int index : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11}) {
            List<RlpItem> f = signedFields();
            f.set(index, RlpList.EMPTY);
            assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), "string");
        }
    }

    @Test
    void rejectsOutOfRangeFields() {
        assertFieldRejected(0, BigInteger.ZERO, "chainId must be positive");
        assertFieldRejected(0, TWO_64, "exceeds 64 bits");
        assertFieldRejected(0, RandomValues.MAX_CHAIN_ID.add(BigInteger.ONE), "EIP-2294");
        assertFieldRejected(1, TWO_64.subtract(BigInteger.ONE), "EIP-2681");
        assertFieldRejected(1, TWO_64, "exceeds 64 bits");
        assertFieldRejected(4, TWO_64, "exceeds 64 bits");
        assertFieldRejected(2, TWO_256, "exceeds 256 bits");
        assertFieldRejected(3, TWO_256, "exceeds 256 bits");
        assertFieldRejected(6, TWO_256, "exceeds 256 bits");
        assertFieldRejected(2, new BigInteger("1000000000000"), "maxPriorityFeePerGas must not exceed");
    }

    @Test
    void rejectsBadRecipient() {
        assertRecipientRejected(new byte[0], "contract creation");
        assertRecipientRejected(new byte[19], "20 bytes");
        assertRecipientRejected(new byte[21], "20 bytes");
        assertRecipientRejected(new byte[32], "20 bytes");
    }

    @Test
    void rejectsNonEmptyOrMalformedAccessList() {
        List<RlpItem> f = signedFields();
        f.set(8, RlpList.of(RlpList.of(new RlpString(new byte[20]), RlpList.EMPTY)));
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), "access list");
        f.set(8, RlpString.EMPTY);
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), "accessList must be an RLP list");
    }

    @Test
    void rejectsBadSignatureValues() {
        BigInteger n = Secp256k1.N;
        assertSignatureFieldRejected(9, BigInteger.TWO, "yParity");
        assertSignatureFieldRejected(9, BigInteger.valueOf(27), "yParity");
        assertSignatureFieldRejected(9, BigInteger.valueOf(256), "exceeds 8 bits");
        assertSignatureFieldRejected(10, BigInteger.ZERO, "invalid signature");
        assertSignatureFieldRejected(11, BigInteger.ZERO, "invalid signature");
        assertSignatureFieldRejected(10, n, "invalid signature");
        assertSignatureFieldRejected(11, n, "invalid signature");
        assertSignatureFieldRejected(10, TWO_256, "exceeds 256 bits");
        // high-s (the malleable twin of a valid signature) is rejected (EIP-2)
        BigInteger s = ((RlpString) signedFields().get(11)).toUnsigned(256, "s");
        assertSignatureFieldRejected(11, n.subtract(s), "low-s");
    }

    // ---------------------------------------------------------------- construction

    @Test
    void constructorValidates() {
        BigInteger one = BigInteger.ONE;
        EthAddress to = new EthAddress(new byte[20]);
        byte[] d = new byte[0];
        new Eip1559Transaction(one, BigInteger.ZERO, one, one, one, to, BigInteger.ZERO, d);
        assertRejected(() -> new Eip1559Transaction(null, one, one, one, one, to, one, d), "chainId");
        assertRejected(() -> new Eip1559Transaction(BigInteger.ZERO, one, one, one, one, to, one, d), "chainId");
        assertRejected(() -> new Eip1559Transaction(one.negate(), one, one, one, one, to, one, d), "chainId");
        assertRejected(() -> new Eip1559Transaction(TWO_64, one, one, one, one, to, one, d), "chainId");
        BigInteger maxChain = RandomValues.MAX_CHAIN_ID;
        new Eip1559Transaction(maxChain, one, one, one, one, to, one, d);
        assertRejected(() -> new Eip1559Transaction(maxChain.add(one), one, one, one, one, to, one, d), "EIP-2294");
        assertRejected(() -> new Eip1559Transaction(one, one.negate(), one, one, one, to, one, d), "nonce");
        assertRejected(() -> new Eip1559Transaction(one, TWO_64.subtract(one), one, one, one, to, one, d), "nonce");
        assertRejected(() -> new Eip1559Transaction(one, one, one.negate(), one, one, to, one, d),
                "maxPriorityFeePerGas");
        assertRejected(() -> new Eip1559Transaction(one, one, one, TWO_256, one, to, one, d), "maxFeePerGas");
        assertRejected(() -> new Eip1559Transaction(one, one, BigInteger.TWO, one, one, to, one, d),
                "must not exceed maxFeePerGas");
        assertRejected(() -> new Eip1559Transaction(one, one, one, one, TWO_64, to, one, d), "gasLimit");
        assertRejected(() -> new Eip1559Transaction(one, one, one, one, null, to, one, d), "gasLimit");
        assertRejected(() -> new Eip1559Transaction(one, one, one, one, one, null, one, d), "contract creation");
        assertRejected(() -> new Eip1559Transaction(one, one, one, one, one, to, TWO_256, d), "value");
        assertRejected(() -> new Eip1559Transaction(one, one, one, one, one, to, null, d), "value");
        assertRejected(() -> new Eip1559Transaction(one, one, one, one, one, to, one, null), "data");
        Eip1559Transaction tx = new Eip1559Transaction(one, one, one, one, one, to, one, d);
        assertRejected(() -> tx.encodeSigned(null), "signature");
        assertRejected(() -> new SignedEip1559Transaction(null, validSignature()), "transaction");
        assertRejected(() -> new SignedEip1559Transaction(tx, null), "signature");
    }

    @Test
    void immutableAndValueEquality() {
        byte[] data = {1, 2, 3};
        BigInteger one = BigInteger.ONE;
        EthAddress to = new EthAddress(new byte[20]);
        Eip1559Transaction tx = new Eip1559Transaction(one, one, one, one, one, to, one, data);
        data[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, tx.data(), "constructor copies data");
        tx.data()[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, tx.data(), "accessor copies data");
        Eip1559Transaction same = new Eip1559Transaction(one, one, one, one, one, to, one, new byte[] {1, 2, 3});
        assertEquals(tx, same);
        assertEquals(tx.hashCode(), same.hashCode());
        assertNotEquals(tx, new Eip1559Transaction(one, one, one, one, one, to, one, new byte[] {1, 2, 4}));
        assertTrue(tx.toString().contains("data=0x010203"), tx.toString());
    }

    @Test
    void signingHashBindsTheChainId() {
        BigInteger one = BigInteger.ONE;
        EthAddress to = new EthAddress(new byte[20]);
        byte[] h1 = new Eip1559Transaction(one, one, one, one, one, to, one, new byte[0]).signingHash();
        byte[] h5 = new Eip1559Transaction(BigInteger.valueOf(5), one, one, one, one, to, one, new byte[0])
                .signingHash();
        assertNotEquals(Bytes.toHex(h1), Bytes.toHex(h5));
    }

    // ---------------------------------------------------------------- helpers

    static Eip1559Transaction randomTx(Random rnd) {
        BigInteger maxFee = RandomValues.uint(rnd, 256);
        BigInteger maxPrio = RandomValues.below(rnd, maxFee.add(BigInteger.ONE));
        return new Eip1559Transaction(RandomValues.chainId(rnd),
                RandomValues.below(rnd, TWO_64.subtract(BigInteger.ONE)), maxPrio, maxFee,
                RandomValues.uint(rnd, 64), RandomValues.address(rnd), RandomValues.uint(rnd, 256),
                RandomValues.data(rnd));
    }

    private static Eip1559Transaction fixtureTx() {
        return new Eip1559Transaction(BigInteger.valueOf(1), BigInteger.valueOf(7), BigInteger.valueOf(2_000_000_000L),
                BigInteger.valueOf(30_000_000_000L), BigInteger.valueOf(21000),
                EthAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
                new BigInteger("1000000000000000000"), new byte[] {(byte) 0xca, (byte) 0xfe});
    }

    /** A valid signed fixture whose yParity is 0 (searched deterministically). */
    private static EcdsaSignature validSignature() {
        Eip1559Transaction tx = fixtureTx();
        for (int k = 1; ; k++) {
            EcdsaSignature sig = Web3jSigner.of(BigInteger.valueOf(k)).sign(tx.signingHash());
            if (sig.recoveryId() == 0) {
                return sig;
            }
        }
    }

    private static byte[] validSigned() {
        return fixtureTx().encodeSigned(validSignature());
    }

    private static List<RlpItem> signedFields() {
        byte[] good = validSigned();
        RlpList list = (RlpList) Rlp.decode(java.util.Arrays.copyOfRange(good, 1, good.length));
        return new ArrayList<>(list.items());
    }

    private static byte[] typed(List<RlpItem> fields) {
        return typed(new RlpList(fields));
    }

    private static byte[] typed(RlpItem payload) {
        return Bytes.concat(new byte[] {2}, Rlp.encode(payload));
    }

    private static void assertFieldRejected(int index, BigInteger value, String messagePart) {
        List<RlpItem> f = signedFields();
        f.set(index, RlpString.ofUnsigned(value));
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), messagePart);
        List<RlpItem> unsigned = new ArrayList<>(f.subList(0, 9));
        assertRejected(() -> Eip1559Transaction.decode(typed(unsigned)), messagePart);
    }

    private static void assertSignatureFieldRejected(int index, BigInteger value, String messagePart) {
        List<RlpItem> f = signedFields();
        f.set(index, RlpString.ofUnsigned(value));
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), messagePart);
    }

    private static void assertRecipientRejected(byte[] to, String messagePart) {
        List<RlpItem> f = signedFields();
        f.set(5, new RlpString(to));
        assertRejected(() -> Eip1559Transaction.decodeSigned(typed(f)), messagePart);
    }

    static void assertRejected(org.junit.jupiter.api.function.Executable call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(messagePart),
                "message should mention '" + messagePart + "': " + e.getMessage());
    }
}
