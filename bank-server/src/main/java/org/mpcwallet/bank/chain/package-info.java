/**
 * The bank's chain adapter on web3j: reads from one Ethereum JSON-RPC node ({@link org.mpcwallet.bank.chain.EthNode}),
 * EIP-1559 fees with caps ({@link org.mpcwallet.bank.chain.FeeOracle}), broadcast with a transient/permanent
 * classification of node errors ({@link org.mpcwallet.bank.chain.Broadcaster}), confirmations and the reorg
 * re-check ({@link org.mpcwallet.bank.chain.Confirmations}, {@link org.mpcwallet.bank.chain.ReceiptCheck}). A local
 * chain for development is started by {@code scripts/bank}, and for tests by the test-only {@code AnvilProcess}.
 *
 * <p>Plain Java classes, constructible in tests. Every node interaction returns its failure as a value
 * ({@link org.mpcwallet.bank.chain.ChainResult}, {@link org.mpcwallet.bank.chain.ChainFailure}); nothing here logs
 * request bodies, raw transactions or the RPC URL (which may carry a provider API key): messages name the endpoint
 * by {@link org.mpcwallet.bank.chain.EthNode#redact(String) scheme, host and port} only.
 */
package org.mpcwallet.bank.chain;
