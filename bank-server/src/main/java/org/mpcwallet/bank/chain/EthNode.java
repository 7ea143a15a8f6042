package org.mpcwallet.bank.chain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * One Ethereum JSON-RPC node over HTTP(S), through web3j. Every call returns a {@link ChainResult}: the node's
 * answer, or a {@link ChainFailure} (I/O, HTTP status, JSON-RPC error, unparseable answer); nothing throws for a
 * node problem.
 *
 * <p>The RPC URL may carry a provider API key in its path, query or user info, so it never appears in messages or
 * {@link #toString()}: only {@link #redact(String) scheme, host and port} do. The HTTP client is built here without
 * web3j's debug logging interceptor, which would log request bodies (raw transactions) and URLs.
 *
 * <p>Addresses and hashes come back as lower-case 0x-hex. Close the node to release its HTTP connections.
 *
 * <p>Why one class of this size: one method per JSON-RPC call the bank makes, each with its strict decoding of the
 * node's answer into a {@link ChainResult}; they share the request/response plumbing and the redaction of the URL,
 * and reading them side by side is how a reviewer checks that no answer is trusted unchecked.
 */
public final class EthNode implements AutoCloseable {
    /** Keccak-256 of {@code Transfer(address,address,uint256)}: topic 0 of an ERC-20 (and ERC-721) transfer. */
    public static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    /** Selector of {@code balanceOf(address)}. */
    static final String BALANCE_OF_SELECTOR = "70a08231";
    /** JSON-RPC error code "method not found": the node does not offer the method. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Default connect/read/write timeout of one HTTP request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern HTTP_STATUS = Pattern.compile("Invalid response received: (\\d{3})");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

    private final String rpcUrl;
    private final String endpoint;
    private final OkHttpClient http;
    private final ScheduledExecutorService scheduler;
    private final HttpService service;
    private final Web3j web3j;

    private EthNode(String rpcUrl, Duration timeout) {
        this.rpcUrl = rpcUrl;
        this.endpoint = redact(rpcUrl);
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout.multipliedBy(2))
                .build();
        // Web3j.build(service) would share web3j's static scheduler, which shutdown() then closes for everyone.
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eth-node-" + endpoint);
            t.setDaemon(true);
            return t;
        });
        this.service = new HttpService(rpcUrl, http, false);
        this.web3j = Web3j.build(service, 1_000L, scheduler);
    }

    /** A node at {@code rpcUrl} ({@code http://} or {@code https://}) with {@link #DEFAULT_TIMEOUT}. */
    public static EthNode connect(String rpcUrl) {
        return connect(rpcUrl, DEFAULT_TIMEOUT);
    }

    /**
     * A node at {@code rpcUrl} with a per-request timeout. Does not contact the node.
     *
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host (a configuration
     *                                  error, reported without the URL's path or query)
     */
    public static EthNode connect(String rpcUrl, Duration timeout) {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        URI uri;
        try {
            uri = URI.create(rpcUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ETH RPC URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("ETH RPC URL must be an absolute http:// or https:// URL with a host, got "
                    + redact(rpcUrl));
        }
        return new EthNode(rpcUrl.strip(), timeout);
    }

    /** The endpoint as {@code scheme://host:port}, without user info, path or query (which may hold API keys). */
    public static String redact(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "<unparseable url>";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException | NullPointerException e) {
            return "<unparseable url>";
        }
    }

    /** The redacted endpoint (safe to log). */
    public String endpoint() {
        return endpoint;
    }

    // ------------------------------------------------------------------ reads

    /** {@code eth_chainId}. */
    public ChainResult<Long> chainId() {
        return call("eth_chainId", web3j.ethChainId(), r -> r.getChainId().longValueExact());
    }

    /** {@code eth_blockNumber}: the head. */
    public ChainResult<Long> blockNumber() {
        return call("eth_blockNumber", web3j.ethBlockNumber(), r -> r.getBlockNumber().longValueExact());
    }

    /** {@code eth_getTransactionCount(address, "pending")}: the next nonce including the node's pool. */
    public ChainResult<BigInteger> pendingNonce(String address) {
        return call("eth_getTransactionCount", web3j.ethGetTransactionCount(address(address),
                DefaultBlockParameterName.PENDING), r -> r.getTransactionCount());
    }

    /** {@code eth_getBalance(address, "latest")} in wei. */
    public ChainResult<BigInteger> balance(String address) {
        return call("eth_getBalance", web3j.ethGetBalance(address(address), DefaultBlockParameterName.LATEST),
                r -> r.getBalance());
    }

    /**
     * {@code balanceOf(holder)} of an ERC-20 token via {@code eth_call} at "latest", in the token's base units. An
     * empty answer (no contract at {@code token}) or a revert is a failure, never zero.
     */
    public ChainResult<BigInteger> erc20Balance(String token, String holder) {
        String data = "0x" + BALANCE_OF_SELECTOR + word(address(holder));
        Transaction call = Transaction.createEthCallTransaction(null, address(token), data);
        return call("eth_call", web3j.ethCall(call, DefaultBlockParameterName.LATEST), r -> {
            if (r.isReverted()) {
                throw new BadAnswer("balanceOf reverted: " + r.getRevertReason());
            }
            String hex = Numeric.cleanHexPrefix(r.getValue() == null ? "" : r.getValue());
            if (hex.length() < 64) {
                throw new BadAnswer("balanceOf returned " + hex.length() / 2
                        + " bytes, not a uint256 (is there a token contract at " + address(token) + "?)");
            }
            return new BigInteger(hex.substring(0, 64), 16);
        });
    }

    /** {@code eth_estimateGas} for a call or transfer; a revert is a {@link ChainFailure.Kind#NODE_ERROR}. */
    public ChainResult<BigInteger> estimateGas(String from, String to, BigInteger value, String data) {
        Objects.requireNonNull(value, "value");
        Transaction tx = new Transaction(address(from), null, null, null, address(to), value,
                data == null || data.isEmpty() ? "0x" : data);
        return call("eth_estimateGas", web3j.ethEstimateGas(tx), r -> r.getAmountUsed());
    }

    /** {@code eth_getTransactionByHash}: empty if the node does not know the hash (never sent, or reorged out). */
    public ChainResult<Optional<ChainTransaction>> transaction(String hash) {
        return call("eth_getTransactionByHash", web3j.ethGetTransactionByHash(hash(hash)),
                r -> r.getTransaction().map(EthNode::toTransaction));
    }

    /** {@code eth_getTransactionReceipt}: empty while pending or unknown. */
    public ChainResult<Optional<ChainReceipt>> receipt(String hash) {
        return call("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(hash(hash)),
                r -> r.getTransactionReceipt().map(EthNode::toReceipt));
    }

    /** {@code eth_getBlockByNumber(number, true)}: empty beyond the head. */
    public ChainResult<Optional<ChainBlock>> block(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("block number must be >= 0");
        }
        return block(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)));
    }

    /** The head block with its transactions. */
    public ChainResult<ChainBlock> latestBlock() {
        return block(DefaultBlockParameterName.LATEST).flatMap(b -> b.<ChainResult<ChainBlock>>map(ChainResult::ok)
                .orElseGet(() -> ChainResult.failed(new ChainFailure(ChainFailure.Kind.BAD_RESPONSE,
                        "eth_getBlockByNumber", 0, "the node has no latest block"))));
    }

    /**
     * ERC-20 {@code Transfer} events whose recipient (topic 2) is one of {@code recipients}, in blocks
     * {@code fromBlock..toBlock} inclusive, from any contract when {@code tokens} is empty, else only from those
     * contracts. Logs that are not ERC-20 shaped (ERC-721's indexed token id: four topics, empty data) are skipped.
     * The node may cap the block range or result size; page by block range.
     */
    public ChainResult<List<Erc20TransferLog>> transferLogs(long fromBlock, long toBlock, Collection<String> recipients,
                                                            Collection<String> tokens) {
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("block range " + fromBlock + ".." + toBlock + " is empty or negative");
        }
        if (recipients.isEmpty()) {
            return ChainResult.ok(List.of());
        }
        List<String> tokenList = tokens.stream().map(EthNode::address).distinct().toList();
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), tokenList);
        filter.addSingleTopic(TRANSFER_TOPIC);
        filter.addNullTopic();
        filter.addOptionalTopics(recipients.stream().map(a -> "0x" + word(address(a))).distinct()
                .toArray(String[]::new));
        return call("eth_getLogs", web3j.ethGetLogs(filter), r -> {
            List<Erc20TransferLog> out = new ArrayList<>();
            for (EthLog.LogResult<?> result : r.getLogs()) {
                if (!(result.get() instanceof Log log)) {
                    throw new BadAnswer("eth_getLogs returned a filter id instead of a log object");
                }
                toTransfer(log).ifPresent(out::add);
            }
            return List.copyOf(out);
        });
    }

    /**
     * The ether moved by contracts inside the transactions of block {@code blockHash}
     * ({@code debug_traceBlockByHash} with geth's {@code callTracer}): every nested {@code CALL} or
     * {@code SELFDESTRUCT} frame with a value above 0 that neither reverted nor lies under a frame that reverted.
     * Top-level value transfers are not included (they are the block's transactions). {@code txHashes} are the
     * block's transaction hashes in order, used when the node's trace omits them (older geth). A node without the
     * method answers {@link ChainFailure.Kind#NODE_ERROR} with code {@value #METHOD_NOT_FOUND}.
     */
    public ChainResult<List<InternalTransfer>> internalTransfers(String blockHash, List<String> txHashes) {
        String block = hash(blockHash);
        Request<?, TraceBlockResponse> request = new Request<>("debug_traceBlockByHash",
                List.of(block, Map.of("tracer", "callTracer")), service, TraceBlockResponse.class);
        return call("debug_traceBlockByHash", request, r -> {
            List<TxTrace> traces = r.getResult();
            if (traces == null) {
                return null;
            }
            if (traces.size() != txHashes.size()) {
                throw new BadAnswer("the trace of block " + block + " has " + traces.size() + " transactions, the "
                        + "block " + txHashes.size());
            }
            List<InternalTransfer> out = new ArrayList<>();
            for (int i = 0; i < traces.size(); i++) {
                TxTrace t = traces.get(i);
                if (t == null || t.result == null) {
                    throw new BadAnswer("the node could not trace transaction " + i + " of block " + block
                            + (t == null || t.error == null ? "" : ": " + t.error));
                }
                String expected = hash(txHashes.get(i));
                String txHash = t.txHash == null ? expected : hash(t.txHash);
                if (!txHash.equals(expected)) {
                    throw new BadAnswer("trace " + i + " of block " + block + " is of another transaction");
                }
                int[] ordinal = {0};
                if (t.result.calls != null) {
                    boolean rootReverted = t.result.error != null;
                    for (CallFrame f : t.result.calls) {
                        collect(f, rootReverted, txHash, ordinal, out);
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    private static void collect(CallFrame f, boolean underRevert, String txHash, int[] ordinal,
                                List<InternalTransfer> out) {
        int k = ordinal[0]++;
        boolean reverted = underRevert || f.error != null;
        BigInteger value = f.value == null ? BigInteger.ZERO : Numeric.decodeQuantity(f.value);
        if (!reverted && value.signum() > 0 && f.to != null
                && ("CALL".equalsIgnoreCase(f.type) || "SELFDESTRUCT".equalsIgnoreCase(f.type))) {
            out.add(new InternalTransfer(txHash, k, address(f.from), address(f.to), value));
        }
        if (f.calls != null) {
            for (CallFrame child : f.calls) {
                collect(child, reverted, txHash, ordinal, out);
            }
        }
    }

    /** {@code debug_traceBlockByHash} answer: one trace per transaction. */
    static final class TraceBlockResponse extends Response<List<TxTrace>> {
    }

    /** One transaction's call trace (geth's {@code callTracer}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class TxTrace {
        public String txHash;
        public CallFrame result;
        public String error;
    }

    /** One call frame of the {@code callTracer}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class CallFrame {
        public String type;
        public String from;
        public String to;
        public String value;
        public String error;
        public List<CallFrame> calls;
    }

    // ------------------------------------------------------------ for the package

    /** {@code eth_feeHistory(blocks, "latest", [percentile])}. */
    ChainResult<EthFeeHistory.FeeHistory> feeHistory(int blocks, double percentile) {
        return call("eth_feeHistory", web3j.ethFeeHistory(blocks, DefaultBlockParameterName.LATEST,
                List.of(percentile)), EthFeeHistory::getFeeHistory);
    }

    /** {@code eth_gasPrice}. */
    ChainResult<BigInteger> gasPrice() {
        return call("eth_gasPrice", web3j.ethGasPrice(), r -> r.getGasPrice());
    }

    /** {@code eth_sendRawTransaction}: the hash the node reports. */
    ChainResult<String> sendRawTransaction(String rawTxHex) {
        return call("eth_sendRawTransaction", web3j.ethSendRawTransaction(rawTxHex),
                r -> r.getTransactionHash().toLowerCase(Locale.ROOT));
    }

    /** Releases the HTTP connections and the scheduler. */
    @Override
    public void close() {
        web3j.shutdown();
        scheduler.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "EthNode[" + endpoint + "]";
    }

    // ---------------------------------------------------------------- internals

    private ChainResult<Optional<ChainBlock>> block(DefaultBlockParameter which) {
        return call("eth_getBlockByNumber", web3j.ethGetBlockByNumber(which, true),
                r -> Optional.ofNullable(r.getBlock()).map(EthNode::toBlock));
    }

    /** A node answer that is well-formed JSON-RPC but unusable. */
    private static final class BadAnswer extends RuntimeException {
        BadAnswer(String message) {
            super(message, null, false, false);
        }
    }

    private <R extends Response<?>, T> ChainResult<T> call(String method, Request<?, R> request,
                                                           Function<R, T> extract) {
        try {
            R response = request.send();
            if (response.hasError()) {
                Response.Error error = response.getError();
                return ChainResult.failed(new ChainFailure(ChainFailure.Kind.NODE_ERROR, method, error.getCode(),
                        sanitize(error.getMessage())));
            }
            T value = extract.apply(response);
            if (value == null) {
                return ChainResult.failed(new ChainFailure(ChainFailure.Kind.BAD_RESPONSE, method, 0,
                        "missing result"));
            }
            return ChainResult.ok(value);
        } catch (ClientConnectionException e) {
            Matcher m = HTTP_STATUS.matcher(String.valueOf(e.getMessage()));
            if (m.find()) {
                // the body is not kept: a proxy's error page is noise and could echo the request
                int status = Integer.parseInt(m.group(1));
                return ChainResult.failed(new ChainFailure(ChainFailure.Kind.HTTP_STATUS, method, status,
                        "HTTP " + status + " from " + endpoint));
            }
            return ChainResult.failed(new ChainFailure(ChainFailure.Kind.IO, method, 0, describe(e)));
        } catch (JsonProcessingException e) {
            return ChainResult.failed(new ChainFailure(ChainFailure.Kind.BAD_RESPONSE, method, 0,
                    "unparseable answer from " + endpoint));
        } catch (IOException e) {
            return ChainResult.failed(new ChainFailure(ChainFailure.Kind.IO, method, 0, describe(e)));
        } catch (BadAnswer e) {
            return ChainResult.failed(new ChainFailure(ChainFailure.Kind.BAD_RESPONSE, method, 0,
                    sanitize(e.getMessage())));
        } catch (RuntimeException e) {
            // malformed quantities, missing fields, a number out of range
            return ChainResult.failed(new ChainFailure(ChainFailure.Kind.BAD_RESPONSE, method, 0,
                    "unusable answer from " + endpoint + ": " + describe(e)));
        }
    }

    private String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + sanitize(message));
    }

    /** Removes the full URL (which may hold an API key) from a message. */
    private String sanitize(String message) {
        if (message == null) {
            return "";
        }
        String out = message.replace(rpcUrl, endpoint);
        URI uri = URI.create(rpcUrl);
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            out = out.replace(path, "/…");
        }
        if (uri.getRawQuery() != null) {
            out = out.replace(uri.getRawQuery(), "…");
        }
        if (uri.getRawUserInfo() != null) {
            out = out.replace(uri.getRawUserInfo(), "…");
        }
        return out;
    }

    static String address(String address) {
        Objects.requireNonNull(address, "address");
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("not a 0x-prefixed 20-byte hex address: " + address);
        }
        return address.toLowerCase(Locale.ROOT);
    }

    static String hash(String hash) {
        Objects.requireNonNull(hash, "hash");
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("not a 0x-prefixed 32-byte hex hash: " + hash);
        }
        return hash.toLowerCase(Locale.ROOT);
    }

    /** A normalised address left-padded to a 32-byte word, without 0x. */
    private static String word(String normalisedAddress) {
        return "000000000000000000000000" + normalisedAddress.substring(2);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static ChainTransaction toTransaction(org.web3j.protocol.core.methods.response.Transaction t) {
        Optional<Long> block = t.getBlockNumberRaw() == null
                ? Optional.empty()
                : Optional.of(Numeric.decodeQuantity(t.getBlockNumberRaw()).longValueExact());
        return new ChainTransaction(lower(t.getHash()), lower(t.getFrom()), Optional.ofNullable(lower(t.getTo())),
                t.getNonce(), t.getValue(), t.getInput() == null ? "0x" : t.getInput(), block);
    }

    private static ChainReceipt toReceipt(TransactionReceipt r) {
        Optional<BigInteger> price = r.getEffectiveGasPrice() == null
                ? Optional.empty()
                : Optional.of(Numeric.decodeQuantity(r.getEffectiveGasPrice()));
        return new ChainReceipt(lower(r.getTransactionHash()), r.getBlockNumber().longValueExact(),
                lower(r.getBlockHash()), r.isStatusOK(), r.getGasUsed(), price,
                Optional.ofNullable(lower(r.getContractAddress())));
    }

    private static ChainBlock toBlock(EthBlock.Block b) {
        List<ChainTransaction> txs = new ArrayList<>();
        for (EthBlock.TransactionResult<?> result : b.getTransactions()) {
            if (!(result.get() instanceof org.web3j.protocol.core.methods.response.Transaction t)) {
                throw new BadAnswer("block " + b.getNumberRaw() + " lists hashes, not transaction objects");
            }
            txs.add(toTransaction(t));
        }
        Optional<BigInteger> baseFee = b.getBaseFeePerGasRaw() == null
                ? Optional.empty()
                : Optional.of(Numeric.decodeQuantity(b.getBaseFeePerGasRaw()));
        return new ChainBlock(b.getNumber().longValueExact(), lower(b.getHash()), lower(b.getParentHash()),
                b.getTimestamp().longValueExact(), baseFee, txs);
    }

    private static Optional<Erc20TransferLog> toTransfer(Log log) {
        List<String> topics = log.getTopics();
        String data = Numeric.cleanHexPrefix(log.getData() == null ? "" : log.getData());
        if (topics == null || topics.size() != 3 || !TRANSFER_TOPIC.equalsIgnoreCase(topics.get(0))
                || data.length() != 64) {
            return Optional.empty();
        }
        return Optional.of(new Erc20TransferLog(lower(log.getAddress()), topicAddress(topics.get(1)),
                topicAddress(topics.get(2)), new BigInteger(data, 16), log.getBlockNumber().longValueExact(),
                lower(log.getBlockHash()), lower(log.getTransactionHash()), log.getLogIndex().longValueExact()));
    }

    private static String topicAddress(String topic) {
        String hex = Numeric.cleanHexPrefix(topic);
        if (hex.length() != 64) {
            throw new BadAnswer("topic is not a 32-byte word");
        }
        return "0x" + hex.substring(24).toLowerCase(Locale.ROOT);
    }
}
