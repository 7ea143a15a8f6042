package org.mpcwallet.bank.pipeline;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.mpcwallet.bank.chain.Broadcaster;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.chain.FeeOracle;
import org.mpcwallet.bank.chain.ReceiptCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ethereum node the pipeline uses: ETH_RPC_URL (for development, {@code scripts/bank} starts a local anvil and
 * sets it). Without it, requests stop before signing with a clear error (no chain configured).
 */
@Singleton
public class ChainAccess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainAccess.class);

    private final EthNode node;
    private final FeeOracle fees;
    private final Broadcaster broadcaster;
    private final ReceiptCheck receipts;

    public ChainAccess(PipelineConfig config) {
        String url = config.ethRpcUrl();
        if (url == null) {
            node = null;
            fees = null;
            broadcaster = null;
            receipts = null;
            LOG.warn("chain: no ETH_RPC_URL; transaction requests wait before signing until a node is configured");
            return;
        }
        node = EthNode.connect(url);
        fees = new FeeOracle(node, FeeOracle.Config.withCaps(config.maxFeeCap(), config.priorityCap()));
        broadcaster = new Broadcaster(node);
        receipts = new ReceiptCheck(node);
        LOG.info("chain: {} (confirmations {})", EthNode.redact(url), config.confirmationBlocks());
    }

    public boolean configured() {
        return node != null;
    }

    private volatile Long chainId;

    /** The node's chain id (asked once). */
    public long chainId() {
        Long id = chainId;
        if (id == null) {
            var r = node().chainId();
            if (!(r instanceof org.mpcwallet.bank.chain.ChainResult.Ok<Long> ok)) {
                throw new IllegalStateException("the Ethereum node did not answer eth_chainId: " + r);
            }
            id = ok.value();
            chainId = id;
        }
        return id;
    }

    /** The chain id if the node was asked already (no network call). */
    public java.util.OptionalLong knownChainId() {
        Long id = chainId;
        return id == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(id);
    }

    public EthNode node() {
        return require(node);
    }

    public FeeOracle fees() {
        return require(fees);
    }

    public Broadcaster broadcaster() {
        return require(broadcaster);
    }

    public ReceiptCheck receipts() {
        return require(receipts);
    }

    private static <T> T require(T t) {
        if (t == null) {
            throw new IllegalStateException("no Ethereum node is configured (ETH_RPC_URL)");
        }
        return t;
    }

    @PreDestroy
    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
