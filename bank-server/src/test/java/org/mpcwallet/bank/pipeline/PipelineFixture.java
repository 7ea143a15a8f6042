package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.mpcwallet.bank.ApiUsers;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.Broadcaster;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * What the pipeline's integration tests share: users with bank roles over the real REST API, ACTIVE wallets from a
 * keygen over the WebSocket, and transactions on anvil signed with web3j from anvil's public dev accounts (the
 * bank's own signing is the 2PC protocol; a deposit only needs some correct signature).
 */
final class PipelineFixture {
    /** anvil's dev account 0 (its well-known public test key). */
    static final Credentials DEV = Credentials.create(AnvilProcess.DEV_PRIVATE_KEY);
    /** anvil's dev account 1 (the well-known public test key of the default mnemonic). */
    static final Credentials OTHER = Credentials.create(
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final BigInteger GWEI = BigInteger.TEN.pow(9);
    static final BigInteger ETHER = BigInteger.TEN.pow(18);

    private final HttpClient http;
    private final DataSource dataSource;
    private final JsonMapper json;
    private final AnvilProcess anvil;

    PipelineFixture(HttpClient http, DataSource dataSource, JsonMapper json, AnvilProcess anvil) {
        this.http = http;
        this.dataSource = dataSource;
        this.json = json;
        this.anvil = anvil;
    }

    record Wallet(String id, String address) {
    }

    User user(String... bankRoles) {
        return new ApiUsers(http, dataSource).register(bankRoles);
    }

    Map<?, ?> send(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()), Map.class).body();
    }

    List<?> list(MutableHttpRequest<?> request, User u) {
        return http.toBlocking().exchange(request.header("Authorization", u.bearer()),
                io.micronaut.core.type.Argument.listOf(Map.class)).body();
    }

    /** The items of one page of a paged list (docs/integration.md "Pagination"). */
    List<?> page(MutableHttpRequest<?> request, User u) {
        return (List<?>) send(request, u).get("items");
    }

    int status(MutableHttpRequest<?> request, User u) {
        return refusal(request, u).code();
    }

    /** A refused request: the exception carries the status and the problem+json body. */
    HttpClientResponseException refusal(MutableHttpRequest<?> request, User u) {
        return assertThrows(HttpClientResponseException.class, () -> send(request, u));
    }

    /** The problem+json detail of a refusal. */
    String detail(HttpClientResponseException e) {
        Optional<Map> body = e.getResponse().getBody(Map.class);
        return body.map(b -> String.valueOf(b.get("detail"))).orElse("<no body>");
    }

    /** An ACTIVE wallet of {@code owner}: created over REST, keygen run by the device. */
    Wallet wallet(User owner, String type, TestDevice device) {
        String walletId = (String) send(HttpRequest.POST("/v1/wallets", Map.of("name", "w", "type", type,
                "riskProfile", "LOW")), owner).get("id");
        TestDevice.Keygen k = device.keygen(walletId);
        return new Wallet(walletId, (String) k.done().get("address"));
    }

    /** Audit event types with {@code key = value} in their payload, in order. */
    List<String> auditTypes(String key, String value) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select type from audit_event where payload::jsonb ->> ? = ? order by seq")) {
            ps.setString(1, key);
            ps.setString(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    long count(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- chain

    /** Sends a signed EIP-1559 transaction from {@code from} and waits for its receipt. */
    ChainReceipt transact(EthNode node, Credentials from, String to, BigInteger value, String data,
                          BigInteger gasLimit) {
        BigInteger nonce = node.pendingNonce(from.getAddress()).orElseThrow();
        RawTransaction tx = RawTransaction.createTransaction(AnvilProcess.CHAIN_ID, nonce, gasLimit, to, value, data,
                GWEI, GWEI.multiply(BigInteger.valueOf(50)));
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, from));
        String hash = Hash.sha3(raw).toLowerCase();
        assertTrue(new Broadcaster(node).send(raw, hash).isSent(), "sent " + hash);
        return awaitReceipt(node, hash);
    }

    ChainReceipt sendEth(EthNode node, Credentials from, String to, BigInteger wei) {
        return transact(node, from, to, wei, "0x", BigInteger.valueOf(21_000));
    }

    /** Deploys the test token (all supply to {@code from}); returns its address. */
    String deployToken(EthNode node, Credentials from) throws Exception {
        ChainReceipt r = transact(node, from, "", BigInteger.ZERO, miniErc20(), BigInteger.valueOf(300_000));
        assertTrue(r.success(), "token deployed");
        return r.contractAddress().orElseThrow();
    }

    /** Deploys {@link org.mpcwallet.bank.chain.MiniForwarder}; returns its address. */
    String deployForwarder(EthNode node, Credentials from) {
        ChainReceipt r = transact(node, from, "", BigInteger.ZERO,
                org.mpcwallet.bank.chain.MiniForwarder.creationCode(), BigInteger.valueOf(200_000));
        assertTrue(r.success(), "forwarder deployed");
        return r.contractAddress().orElseThrow();
    }

    ChainReceipt sendToken(EthNode node, Credentials from, String token, String to, BigInteger amount) {
        String data = FunctionEncoder.encode(new Function("transfer", List.of(new Address(to), new Uint256(amount)),
                List.of()));
        ChainReceipt r = transact(node, from, token, BigInteger.ZERO, data, BigInteger.valueOf(100_000));
        assertTrue(r.success(), "token transfer succeeded");
        return r;
    }

    /**
     * The creation code of the hand-assembled test ERC-20 in {@code org.mpcwallet.bank.chain} (package-private
     * there; reused as it is rather than copied).
     */
    static String miniErc20() throws Exception {
        Method m = Class.forName("org.mpcwallet.bank.chain.MiniErc20").getDeclaredMethod("creationCode");
        m.setAccessible(true);
        return (String) m.invoke(null);
    }

    static ChainReceipt awaitReceipt(EthNode node, String hash) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Optional<ChainReceipt> r = node.receipt(hash).orElseThrow();
            if (r.isPresent()) {
                return r.get();
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

    void mine(int blocks) throws Exception {
        rpc("anvil_mine", List.of("0x" + Integer.toHexString(blocks)));
    }

    String snapshot() throws Exception {
        return String.valueOf(rpc("evm_snapshot", List.of()));
    }

    void revert(String id) throws Exception {
        rpc("evm_revert", List.of(id));
    }

    Object rpc(String method, List<Object> params) throws Exception {
        String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", params));
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(anvil.rpcUrl())).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Map<?, ?> answer = json.readValue(r.body(), Map.class);
        assertTrue(answer.containsKey("result"), () -> method + " failed: " + r.body());
        return answer.get("result");
    }
}
