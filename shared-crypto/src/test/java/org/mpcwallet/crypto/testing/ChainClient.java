package org.mpcwallet.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.EthAddress;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** A web3j client for tests against a real {@link AnvilProcess}: funding, nonces, fees, send-and-wait. */
public final class ChainClient implements AutoCloseable {
    public static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);

    private final AnvilProcess node;
    private final Web3j web3;
    private final BigInteger chainId;

    public ChainClient(AnvilProcess node) throws Exception {
        this.node = node;
        this.web3 = Web3j.build(new HttpService(node.rpcUrl()));
        this.chainId = web3.ethChainId().send().getChainId();
    }

    public Web3j web3() {
        return web3;
    }

    public BigInteger chainId() {
        return chainId;
    }

    /** Funds {@code to} from anvil's dev account with a transaction built and signed entirely by web3j. */
    public void fund(EthAddress to, BigInteger amount) throws Exception {
        Credentials dev = Credentials.create(AnvilProcess.DEV_PRIVATE_KEY);
        BigInteger nonce = web3.ethGetTransactionCount(dev.getAddress(), DefaultBlockParameterName.PENDING).send()
                .getTransactionCount();
        RawTransaction raw = RawTransaction.createEtherTransaction(chainId.longValueExact(), nonce,
                BigInteger.valueOf(21_000), to.toLowerHex(), amount, GWEI, maxFee());
        TransactionReceipt receipt = sendAndWait(TransactionEncoder.signMessage(raw, dev));
        assertEquals("0x1", receipt.getStatus(), "funding transaction");
    }

    public BigInteger maxFee() throws Exception {
        BigInteger baseFee = web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                .getBaseFeePerGas();
        return baseFee.multiply(BigInteger.TWO).add(BigInteger.TEN.multiply(GWEI));
    }

    public BigInteger nonceOf(EthAddress a) throws Exception {
        return web3.ethGetTransactionCount(a.toLowerHex(), DefaultBlockParameterName.PENDING).send()
                .getTransactionCount();
    }

    public BigInteger balanceOf(EthAddress a) throws Exception {
        return web3.ethGetBalance(a.toLowerHex(), DefaultBlockParameterName.LATEST).send().getBalance();
    }

    public TransactionReceipt sendAndWait(byte[] signedTx) throws Exception {
        EthSendTransaction sent = web3.ethSendRawTransaction(Numeric.toHexString(signedTx)).send();
        assertFalse(sent.hasError(), () -> "node rejected 0x" + Bytes.toHex(signedTx) + ": "
                + sent.getError().getMessage() + "\nanvil output:\n" + node.recentOutput());
        String hash = sent.getTransactionHash();
        long deadline = System.nanoTime() + RECEIPT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TransactionReceipt> receipt = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no receipt for " + hash + " within " + RECEIPT_TIMEOUT.toSeconds() + " s");
    }

    @Override
    public void close() {
        web3.shutdown();
    }
}
