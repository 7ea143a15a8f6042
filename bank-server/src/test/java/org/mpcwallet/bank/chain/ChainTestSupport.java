package org.mpcwallet.bank.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Test helpers: transactions signed with web3j from anvil's dev account (the bank's own signer is the 2PC protocol;
 * here any correct signature will do), and anvil's own control methods ({@code anvil_mine}, {@code evm_snapshot},
 * {@code evm_revert}) sent as plain JSON-RPC.
 */
final class ChainTestSupport {
    static final Credentials DEV = Credentials.create(AnvilProcess.DEV_PRIVATE_KEY);
    /** anvil's second dev account. */
    static final String OTHER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    static final BigInteger GWEI = BigInteger.TEN.pow(9);
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChainTestSupport() {
    }

    /** A signed EIP-1559 transaction, 0x-hex as broadcast. {@code to} empty = contract creation. */
    static String sign(Credentials from, long nonce, String to, BigInteger value, String data, BigInteger gasLimit,
                       BigInteger priority, BigInteger maxFee) {
        return sign(from, AnvilProcess.CHAIN_ID, nonce, to, value, data, gasLimit, priority, maxFee);
    }

    static String sign(Credentials from, long chainId, long nonce, String to, BigInteger value, String data,
                       BigInteger gasLimit, BigInteger priority, BigInteger maxFee) {
        RawTransaction tx = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), gasLimit, to, value,
                data, priority, maxFee);
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, from));
    }

    /** A plain ETH transfer with 1 gwei tip and 3 gwei max fee (above anvil's initial 1 gwei base fee). */
    static String transfer(Credentials from, long nonce, String to, BigInteger value) {
        return sign(from, nonce, to, value, "0x", TRANSFER_GAS, GWEI, GWEI.multiply(BigInteger.valueOf(3)));
    }

    static String hashOf(String rawHex) {
        return Hash.sha3(rawHex).toLowerCase();
    }

    /**
     * The receipt of {@code hash}, waiting up to 10 s: anvil's automining answers {@code eth_sendRawTransaction}
     * before the block is sealed, so a receipt read right after the send may not exist yet.
     */
    static ChainReceipt awaitReceipt(EthNode node, String hash) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            java.util.Optional<ChainReceipt> receipt = node.receipt(hash).orElseThrow();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no receipt for " + hash + " within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    static void mine(AnvilProcess anvil, int blocks) {
        rpc(anvil, "anvil_mine", "[\"0x" + Integer.toHexString(blocks) + "\"]");
    }

    static String snapshot(AnvilProcess anvil) {
        return rpc(anvil, "evm_snapshot", "[]").asText();
    }

    static boolean revert(AnvilProcess anvil, String snapshotId) {
        return rpc(anvil, "evm_revert", "[\"" + snapshotId + "\"]").asBoolean();
    }

    static JsonNode rpc(AnvilProcess anvil, String method, String paramsJson) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            JsonNode answer = JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
            if (answer.has("error")) {
                throw new AssertionError(method + " failed: " + answer.get("error"));
            }
            return answer.get("result");
        } catch (IOException e) {
            throw new AssertionError(method + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
