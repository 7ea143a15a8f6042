package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.TestDataDir;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.chain.ChainReceipt;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.chain.MiniForwarder;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;
import org.mpcwallet.bank.pipeline.kyt.app.KytCaseService;
import org.mpcwallet.bank.pipeline.token.persistence.TokenRepository;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * The chain listener on a real anvil and PostgreSQL: ETH and ERC-20 deposits to an ACTIVE (keygen) wallet are
 * detected, screened (a grey-listed sender opens an INBOUND case), confirmed after CONFIRMATION_BLOCKS and show in
 * the balances; two listeners on one database record each deposit once; a reorg turns a detected deposit REORGED.
 * The listener is stepped by the test ({@code listener-interval-millis=0}).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainListenerTest implements TestPropertyProvider {
    private static final int CONFIRMATIONS = 3;

    private AnvilProcess anvil;
    private PipelineFixture f;
    private EthNode node;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    JsonMapper json;

    @Inject
    DataSource dataSource;

    @Inject
    org.mpcwallet.bank.db.TransactionRunner transactions;

    @Inject
    EmbeddedServer server;

    @Inject
    ChainListener listener;

    @Inject
    ChainAccess chain;

    @Inject
    KytCaseService cases;

    @Inject
    AuditLog audit;

    @Inject
    PipelineConfig config;

    @Inject
    TokenRepository tokenRows;

    @Inject
    org.mpcwallet.bank.wallet.persistence.WalletRepository walletRows;

    @Inject
    org.mpcwallet.bank.pipeline.deposit.persistence.DepositRepository deposits;

    @Override
    public Map<String, String> getProperties() {
        anvil = AnvilProcess.start();
        Map<String, String> p = TestDataDir.embeddedPropsAsStrings("listener-");
        p.put("bank.pipeline.eth-rpc-url", anvil.rpcUrl());
        p.put("bank.pipeline.worker-interval-millis", "0");
        p.put("bank.pipeline.listener-interval-millis", "0");
        p.put("bank.pipeline.confirmation-blocks", Integer.toString(CONFIRMATIONS));
        p.put("bank.pipeline.kyt-graylist", PipelineFixture.OTHER.getAddress());
        return p;
    }

    @BeforeAll
    void fixture() {
        f = new PipelineFixture(http, dataSource, json, anvil);
        node = EthNode.connect(anvil.rpcUrl());
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    private ChainListener.Round run(ChainListener l) {
        ChainListener.Round r = l.runOnce();
        assertTrue(r.outcome() == ChainListener.Outcome.DONE || r.outcome() == ChainListener.Outcome.BUSY,
                () -> "round: " + r);
        return r;
    }

    private List<Map<?, ?>> deposits(User u, String walletId) {
        return f.page(HttpRequest.GET("/v1/wallets/" + walletId + "/deposits"), u).stream()
                .<Map<?, ?>>map(d -> (Map<?, ?>) d).toList();
    }

    private static Map<?, ?> byTx(List<Map<?, ?>> deposits, String txHash) {
        return deposits.stream().filter(d -> txHash.equals(d.get("txHash"))).findFirst()
                .orElseThrow(() -> new AssertionError("no deposit " + txHash + " in " + deposits));
    }

    @Test
    void ethAndTokenDepositsAreDetectedScreenedConfirmedAndShowInTheBalances() throws Exception {
        User owner = f.user();
        User admin = f.user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            PipelineFixture.Wallet w = f.wallet(owner, "RETAIL", device);
            run(listener); // the cursor exists before the deposits (a first round starts at the head)

            String token = f.deployToken(node, PipelineFixture.DEV);
            f.send(HttpRequest.POST("/v1/tokens", Map.of("symbol", "TKN", "address", token, "decimals", 18)), admin);
            BigInteger oneEth = PipelineFixture.ETHER;
            BigInteger halfEth = oneEth.divide(BigInteger.TWO);
            BigInteger tokens = BigInteger.valueOf(7_000_000);
            ChainReceipt eth = f.sendEth(node, PipelineFixture.DEV, w.address(), oneEth);
            ChainReceipt erc20 = f.sendToken(node, PipelineFixture.DEV, token, w.address(), tokens);
            ChainReceipt grey = f.sendEth(node, PipelineFixture.OTHER, w.address(), halfEth);
            f.sendEth(node, PipelineFixture.DEV, "0x6767676767676767676767676767676767676767", oneEth); // not ours

            ChainListener.Round first = run(listener);
            assertEquals(3, first.detected(), () -> "round: " + first);
            List<Map<?, ?>> found = deposits(owner, w.id());
            assertEquals(3, found.size(), found::toString);
            Map<?, ?> ethDeposit = byTx(found, eth.transactionHash());
            assertEquals("ETH", ethDeposit.get("asset"));
            assertEquals(-1, ethDeposit.get("logIndex"));
            assertEquals(oneEth.toString(), ethDeposit.get("amount"));
            assertEquals(AnvilProcess.DEV_ADDRESS, ethDeposit.get("from"));
            assertEquals("ALLOW", ethDeposit.get("kytVerdict"));
            assertEquals("DETECTED", ethDeposit.get("status"));
            assertEquals((int) eth.blockNumber(), ((Number) ethDeposit.get("blockNumber")).intValue());
            Map<?, ?> tokenDeposit = byTx(found, erc20.transactionHash());
            assertEquals("TKN", tokenDeposit.get("asset"));
            assertEquals(token, tokenDeposit.get("token"));
            assertEquals(0, tokenDeposit.get("logIndex"));
            assertEquals(tokens.toString(), tokenDeposit.get("amount"));
            assertEquals("DETECTED", tokenDeposit.get("status"));
            Map<?, ?> greyDeposit = byTx(found, grey.transactionHash());
            assertEquals("REVIEW", greyDeposit.get("kytVerdict"));
            String caseId = (String) greyDeposit.get("kytCaseId");
            assertNotNull(caseId, "a grey-listed sender opens a case");
            Map<?, ?> kase = f.send(HttpRequest.GET("/v1/cases/" + caseId), f.user("COMPLIANCE"));
            assertEquals("INBOUND", kase.get("direction"));
            assertEquals(greyDeposit.get("id"), kase.get("depositId"));
            assertEquals("OPEN", kase.get("status"));
            assertNull(ethDeposit.get("kytCaseId"));
            assertEquals(List.of("DEPOSIT_DETECTED", "DEPOSIT_KYT_EVALUATED"),
                    f.auditTypes("depositId", (String) ethDeposit.get("id")));

            // deposits in blocks k, k+1, k+2 and the head at k+3: the first two have CONFIRMATIONS (3), the grey
            // one only 2 and stays DETECTED until one more block
            ChainListener.Round second = run(listener);
            assertEquals(2, second.confirmed(), () -> "round: " + second);
            assertEquals("CONFIRMED", byTx(deposits(owner, w.id()), eth.transactionHash()).get("status"));
            assertEquals("DETECTED", byTx(deposits(owner, w.id()), grey.transactionHash()).get("status"));
            f.mine(1);
            ChainListener.Round later = run(listener);
            assertEquals(1, later.confirmed(), () -> "round: " + later);
            for (Map<?, ?> d : deposits(owner, w.id())) {
                assertEquals("CONFIRMED", d.get("status"), d::toString);
            }
            assertEquals(List.of("DEPOSIT_DETECTED", "DEPOSIT_KYT_EVALUATED", "DEPOSIT_CONFIRMED"),
                    f.auditTypes("depositId", (String) tokenDeposit.get("id")));
            assertEquals(0, run(listener).detected(), "nothing recorded twice");

            Map<?, ?> balances = f.send(HttpRequest.GET("/v1/wallets/" + w.id() + "/balances"), owner);
            assertEquals(w.id(), balances.get("walletId"));
            assertEquals(w.address(), balances.get("address"));
            List<?> list = (List<?>) balances.get("balances");
            assertEquals(Map.of("asset", "ETH", "amount", oneEth.add(halfEth).toString(), "decimals", 18),
                    withoutNullToken((Map<?, ?>) list.get(0)));
            assertEquals(Map.of("asset", "TKN", "amount", tokens.toString(), "decimals", 18, "token", token),
                    list.get(1));
            assertEquals(404, f.status(HttpRequest.GET("/v1/wallets/" + w.id() + "/balances"), f.user()),
                    "a stranger does not see the wallet");
            assertEquals(200, http.toBlocking().exchange(HttpRequest.GET("/v1/wallets/" + w.id() + "/deposits")
                    .header("Authorization", f.user("VIEWER").bearer())).code(), "staff read deposits");
        }
        assertTrue(audit.verify().ok());
    }

    @Test
    void etherSentByAContractIsADepositUnlessItsFrameRevertedAndItsSignerIsScreenedToo() throws Exception {
        User owner = f.user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            PipelineFixture.Wallet w = f.wallet(owner, "RETAIL", device);
            run(listener);
            String forwarder = f.deployForwarder(node, PipelineFixture.DEV);
            BigInteger half = PipelineFixture.ETHER.divide(BigInteger.TWO);
            BigInteger quarter = half.divide(BigInteger.TWO);
            BigInteger eighth = quarter.divide(BigInteger.TWO);
            ChainReceipt paid = f.transact(node, PipelineFixture.DEV, forwarder, half,
                    MiniForwarder.calldata(w.address(), false), BigInteger.valueOf(100_000));
            assertTrue(paid.success(), "forwarded");
            ChainReceipt rolledBack = f.transact(node, PipelineFixture.DEV, forwarder, quarter,
                    MiniForwarder.calldata(w.address(), true), BigInteger.valueOf(100_000));
            assertFalse(rolledBack.success(), "the forwarder reverted after its inner call");
            // a grey-listed signer routing ether through the contract: the deposit's sender is the contract
            ChainReceipt routed = f.transact(node, PipelineFixture.OTHER, forwarder, eighth,
                    MiniForwarder.calldata(w.address(), false), BigInteger.valueOf(100_000));
            assertTrue(routed.success());

            ChainListener.Round r = run(listener);
            assertEquals(2, r.detected(), () -> "round: " + r);
            List<Map<?, ?>> found = deposits(owner, w.id());
            assertEquals(2, found.size(), () -> "the reverted transfer is not a deposit: " + found);
            Map<?, ?> internal = byTx(found, paid.transactionHash());
            assertEquals("ETH", internal.get("asset"));
            assertEquals(-2, internal.get("logIndex"), "the first nested frame of its transaction");
            assertEquals(forwarder, internal.get("from"));
            assertEquals(half.toString(), internal.get("amount"));
            assertEquals("ALLOW", internal.get("kytVerdict"));

            Map<?, ?> viaContract = byTx(found, routed.transactionHash());
            assertEquals("REVIEW", viaContract.get("kytVerdict"), "the grey signer is screened, not only the contract");
            Map<?, ?> kase = f.send(HttpRequest.GET("/v1/cases/" + viaContract.get("kytCaseId")),
                    f.user("COMPLIANCE"));
            assertEquals(PipelineFixture.OTHER.getAddress().toLowerCase(java.util.Locale.ROOT), kase.get("address"));
            assertTrue(((String) kase.get("reason")).startsWith("transaction signer "), kase::toString);

            assertEquals(0, run(listener).detected(), "nothing recorded twice");
            Map<?, ?> balances = f.send(HttpRequest.GET("/v1/wallets/" + w.id() + "/balances"), owner);
            assertEquals(half.add(eighth).toString(),
                    ((Map<?, ?>) ((List<?>) balances.get("balances")).get(0)).get("amount"),
                    "the deposits add up to what the node says the wallet holds");
        }
    }

    private static Map<?, ?> withoutNullToken(Map<?, ?> m) {
        Map<Object, Object> out = new java.util.HashMap<>(m);
        if (out.containsKey("token") && out.get("token") == null) {
            out.remove("token");
        }
        return out;
    }

    @Test
    void twoListenersScanningConcurrentlyRecordEachDepositOnce() throws Exception {
        User owner = f.user();
        ChainListener second = new ChainListener(transactions, chain, cases, audit, json, config,
                walletRows, 0, tokenRows, deposits);
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            PipelineFixture.Wallet w = f.wallet(owner, "RETAIL", device);
            run(listener);
            List<String> hashes = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                hashes.add(f.sendEth(node, PipelineFixture.DEV, w.address(), BigInteger.valueOf(1000L * i))
                        .transactionHash());
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (ChainListener l : List.of(listener, second)) {
                    results.add(pool.submit(() -> {
                        start.await();
                        int detected = 0;
                        for (int i = 0; i < 10; i++) {
                            detected += run(l).detected();
                        }
                        return detected;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> r : results) {
                    total += r.get();
                }
                assertEquals(5, total, "each deposit detected by exactly one of the two");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(5, deposits(owner, w.id()).size());
            for (String h : hashes) {
                String id = (String) byTx(deposits(owner, w.id()), h).get("id");
                assertEquals(1, f.auditTypes("depositId", id).stream().filter("DEPOSIT_DETECTED"::equals).count(),
                        h);
            }
        }

        // while another transaction holds the lock, a round is BUSY and changes nothing
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
                ps.setInt(1, ChainListener.LOCK_CLASS);
                ps.setInt(2, (int) AnvilProcess.CHAIN_ID);
                ps.execute();
            }
            f.mine(1);
            assertEquals(ChainListener.Outcome.BUSY, second.runOnce().outcome());
            c.rollback();
        }
        assertEquals(ChainListener.Outcome.DONE, second.runOnce().outcome());
    }

    @Test
    void aReorgTurnsADetectedDepositReorged() throws Exception {
        User owner = f.user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            PipelineFixture.Wallet w = f.wallet(owner, "RETAIL", device);
            run(listener);
            String snapshot = f.snapshot();
            ChainReceipt r = f.sendEth(node, PipelineFixture.DEV, w.address(), BigInteger.valueOf(4242));
            assertEquals(1, run(listener).detected());
            Map<?, ?> detected = byTx(deposits(owner, w.id()), r.transactionHash());
            assertEquals("DETECTED", detected.get("status"));

            f.revert(snapshot);
            f.mine(CONFIRMATIONS + 1); // a longer branch without the deposit
            ChainListener.Round after = run(listener);
            assertEquals(1, after.reorged(), () -> "round: " + after);
            Map<?, ?> reorged = byTx(deposits(owner, w.id()), r.transactionHash());
            assertEquals("REORGED", reorged.get("status"));
            assertEquals(List.of("DEPOSIT_DETECTED", "DEPOSIT_KYT_EVALUATED", "DEPOSIT_REORGED"),
                    f.auditTypes("depositId", (String) detected.get("id")));
            assertEquals(1, f.count("select count(*) from audit_event where type = 'CHAIN_REORG_DETECTED'"));

            // the listener carries on along the new branch; the reorged deposit is never confirmed
            f.mine(CONFIRMATIONS);
            run(listener);
            assertEquals("REORGED", byTx(deposits(owner, w.id()), r.transactionHash()).get("status"));
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "select last_block from chain_cursor"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(node.blockNumber().orElseThrow(), rs.getLong(1), "the cursor follows the new head");
            }
        }
    }
}
