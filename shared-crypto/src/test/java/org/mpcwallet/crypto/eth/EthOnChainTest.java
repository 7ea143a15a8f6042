package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.mpcwallet.crypto.testing.ChainClient;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * End to end against a real node (anvil): transactions built and encoded by OUR classes, signed through the
 * {@link HashSigner} step, are accepted and mined, and the node recovers the sender we computed.
 *
 * <p>To test a two-party signer, replace {@link #freshSigner()} with a {@link HashSigner} backed by the 2PC protocol
 * (and its {@link EthAddress} from the joint public key); nothing else changes.
 */
class EthOnChainTest {
    private static final BigInteger ETHER = BigInteger.TEN.pow(18);
    private static final BigInteger GWEI = ChainClient.GWEI;

    private static AnvilProcess node;
    private static ChainClient chain;
    private static Web3j web3;
    private static BigInteger chainId;

    @BeforeAll
    static void startNode() throws Exception {
        node = AnvilProcess.start();
        chain = new ChainClient(node);
        web3 = chain.web3();
        chainId = chain.chainId();
    }

    @AfterAll
    static void stopNode() {
        if (chain != null) {
            chain.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** The brief's scenario: fund a fresh key, send an EIP-1559 transfer from it, check status and sender. */
    @Test
    void eip1559TransferFromAFreshKeyIsMinedWithOurSender() throws Exception {
        SignerWithAddress from = freshSigner();
        fund(from.address(), ETHER);
        EthAddress recipient = randomAddress();
        BigInteger value = ETHER.divide(BigInteger.valueOf(4));

        Eip1559Transaction tx = new Eip1559Transaction(chainId, nonceOf(from.address()), GWEI, maxFee(),
                BigInteger.valueOf(21_000), recipient, value, new byte[0]);
        TransactionReceipt receipt = sendAndWait(signAndEncode(tx, from.signer()));

        assertEquals("0x1", receipt.getStatus(), "status");
        assertEquals(from.address().toLowerHex(), receipt.getFrom().toLowerCase(Locale.ROOT), "node-recovered sender");
        assertEquals(recipient.toLowerHex(), receipt.getTo().toLowerCase(Locale.ROOT));
        assertEquals(value, balanceOf(recipient));
    }

    /** Call data and every field survive the node's decoding: eth_getTransactionByHash echoes our values. */
    @Test
    void eip1559WithCallDataRoundTripsThroughTheNode() throws Exception {
        SignerWithAddress from = freshSigner();
        fund(from.address(), ETHER);
        byte[] data = Erc20.transferCalldata(randomAddress(), BigInteger.valueOf(123_456_789));
        Eip1559Transaction tx = new Eip1559Transaction(chainId, nonceOf(from.address()), BigInteger.TWO.multiply(GWEI),
                maxFee(), BigInteger.valueOf(40_000), randomAddress(), BigInteger.valueOf(7), data);
        byte[] raw = signAndEncode(tx, from.signer());
        SignedEip1559Transaction signed = Eip1559Transaction.decodeSigned(raw);

        TransactionReceipt receipt = sendAndWait(raw);
        assertEquals("0x1", receipt.getStatus());
        assertEquals(Numeric.toHexString(signed.transactionHash()), receipt.getTransactionHash());

        Transaction onChain = web3.ethGetTransactionByHash(receipt.getTransactionHash()).send().getTransaction()
                .orElseThrow(() -> new AssertionError("node does not know our transaction"));
        assertEquals("0x2", onChain.getType());
        assertEquals(from.address().toLowerHex(), onChain.getFrom().toLowerCase(Locale.ROOT));
        assertEquals(tx.to().toLowerHex(), onChain.getTo().toLowerCase(Locale.ROOT));
        assertEquals(tx.nonce(), onChain.getNonce());
        assertEquals(tx.gasLimit(), onChain.getGas());
        assertEquals(tx.value(), onChain.getValue());
        assertEquals(tx.maxFeePerGas(), onChain.getMaxFeePerGas());
        assertEquals(tx.maxPriorityFeePerGas(), onChain.getMaxPriorityFeePerGas());
        assertArrayEquals(data, Numeric.hexStringToByteArray(onChain.getInput()));
        assertEquals(signed.signature().r(), Numeric.toBigInt(onChain.getR()));
        assertEquals(signed.signature().s(), Numeric.toBigInt(onChain.getS()));
    }

    /** A legacy EIP-155 transaction built by OUR LegacyTransaction is accepted too. */
    @Test
    void legacyEip155TransferIsMinedWithOurSender() throws Exception {
        SignerWithAddress from = freshSigner();
        fund(from.address(), ETHER);
        EthAddress recipient = randomAddress();
        LegacyTransaction tx = new LegacyTransaction(chainId, nonceOf(from.address()), maxFee(),
                BigInteger.valueOf(21_000), recipient, BigInteger.valueOf(1_000_000), new byte[0]);
        EcdsaSignature sig = from.signer().sign(tx.signingHash());
        TransactionReceipt receipt = sendAndWait(tx.encodeSigned(sig));
        assertEquals("0x1", receipt.getStatus());
        assertEquals(from.address().toLowerHex(), receipt.getFrom().toLowerCase(Locale.ROOT));
        assertEquals(BigInteger.valueOf(1_000_000), balanceOf(recipient));
    }

    // ---------------------------------------------------------------- the pluggable signing step

    /** Signs {@link Eip1559Transaction#signingHash()} with any {@link HashSigner} and encodes with OUR classes. */
    static byte[] signAndEncode(Eip1559Transaction tx, HashSigner signer) {
        EcdsaSignature signature = signer.sign(tx.signingHash());
        return tx.encodeSigned(signature);
    }

    record SignerWithAddress(HashSigner signer, EthAddress address) {}

    /** A fresh random secp256k1 key signing with web3j; its address is computed by OUR EthAddress. */
    private static SignerWithAddress freshSigner() throws Exception {
        ECKeyPair key = Keys.createEcKeyPair(new SecureRandom());
        Web3jSigner signer = new Web3jSigner(key);
        return new SignerWithAddress(signer, signer.address());
    }

    // ---------------------------------------------------------------- node helpers (ChainClient)

    private static void fund(EthAddress to, BigInteger amount) throws Exception {
        chain.fund(to, amount);
        assertEquals(amount, balanceOf(to));
    }

    private static BigInteger maxFee() throws Exception {
        return chain.maxFee();
    }

    private static BigInteger nonceOf(EthAddress a) throws Exception {
        return chain.nonceOf(a);
    }

    private static BigInteger balanceOf(EthAddress a) throws Exception {
        return chain.balanceOf(a);
    }

    private static EthAddress randomAddress() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        return new EthAddress(b);
    }

    private static TransactionReceipt sendAndWait(byte[] signedTx) throws Exception {
        return chain.sendAndWait(signedTx);
    }
}
