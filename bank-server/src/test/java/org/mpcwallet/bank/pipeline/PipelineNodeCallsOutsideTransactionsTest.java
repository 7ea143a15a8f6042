package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.RpcMethodFilter;
import org.mpcwallet.bank.mpc.TestDevice;
import org.mpcwallet.bank.pipeline.deposit.app.ChainListener;
import org.mpcwallet.crypto.testing.AnvilProcess;

/**
 * docs/redesign.md step 3: no node call while a database transaction holds a transfer's row. The bank talks to a
 * real anvil through a pass-through that, at every JSON-RPC request, asks PostgreSQL whether any other session
 * holds a lock on {@code tx_requests} taken by {@code SELECT … FOR UPDATE/SHARE} or a write — which the worker's
 * step held around its node calls before. A transfer goes from SUBMITTED to FINALIZED (gas estimate, nonce, fee
 * quote, broadcast, receipts all through the pass-through) and no request arrived while such a lock was held.
 * The chain listener scans a deposit without holding its advisory lock (taken in its write transaction) across a
 * node call.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineNodeCallsOutsideTransactionsTest extends PipelineHarness {
    private RpcMethodFilter passThrough;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> underLock = new CopyOnWriteArrayList<>();
    /** While the chain listener scans: its node calls, and those made while its advisory lock was held. */
    private volatile boolean listening;
    private final List<String> listenerCalls = new CopyOnWriteArrayList<>();
    private final List<String> listenerUnderLock = new CopyOnWriteArrayList<>();

    @Override
    protected String bankRpcUrl() {
        try {
            passThrough = new RpcMethodFilter(anvil.rpcUrl(), Set.of(), this::check);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return passThrough.url();
    }

    @AfterAll
    void stopPassThrough() {
        passThrough.close();
    }

    /** Called on the pass-through's thread before each request goes on to the node. */
    private void check(String method) {
        calls.add(method);
        if (dataSource == null) {
            return; // the server is starting (eth_chainId at startup): no transfer exists yet
        }
        if (listening) {
            listenerCalls.add(method);
            if (count("select count(*) from pg_locks where locktype = 'advisory' and granted and classid = "
                    + Integer.toUnsignedLong(ChainListener.LOCK_CLASS) + " and pid <> pg_backend_pid()") != 0) {
                listenerUnderLock.add(method);
            }
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from pg_locks l join pg_class t "
                     + "on t.oid = l.relation where t.relname = 'tx_requests' and l.granted "
                     + "and l.mode in ('RowShareLock', 'RowExclusiveLock') and l.pid <> pg_backend_pid()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getInt(1) > 0) {
                underLock.add(method);
            }
        } catch (SQLException e) {
            underLock.add(method + " (could not check: " + e.getSQLState() + ")");
        }
    }

    private int count(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @Test
    void theChainListenerScansADepositWithoutHoldingItsLockAcrossNodeCalls() throws Exception {
        User owner = user();
        ChainListener listener = context.getBean(ChainListener.class);
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            listening = true;
            try {
                listener.runOnce(); // the cursor starts at the head
                rpcResult("eth_sendTransaction", List.of(Map.of("from", AnvilProcess.DEV_ADDRESS, "to", w.address(),
                        "value", "0x2386f26fc10000")));
                rpc("anvil_mine", List.of("0x3"));
                assertEquals(ChainListener.Outcome.DONE, listener.runOnce().outcome());
            } finally {
                listening = false;
            }
            assertEquals(1, count("select count(*) from deposits where wallet_id = '" + w.walletId() + "'"),
                    "the deposit was found");
        }
        assertTrue(listenerCalls.contains("eth_getBlockByNumber"), () -> "calls: " + listenerCalls);
        assertTrue(listenerCalls.contains("eth_getTransactionReceipt"), () -> "calls: " + listenerCalls);
        assertEquals(List.of(), listenerUnderLock, "node calls made while the listener held its lock");
    }

    @Test
    void aTransferIsFinalizedWithoutANodeCallWhileItsRowIsLocked() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "12345").get("id");
            String signRequestId = (String) untilSignRequest(id, owner).get("signRequestId");
            Map<String, Object> done = cosign(device, owner, signRequestId, w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);
            until(id, owner, "FINALIZED");
        }
        for (String m : List.of("eth_estimateGas", "eth_getTransactionCount", "eth_sendRawTransaction",
                "eth_getTransactionReceipt")) {
            assertTrue(calls.contains(m), () -> m + " went through the pass-through; calls: " + calls);
        }
        assertEquals(List.of(), underLock, "node calls made while a transaction held a transfer's row");
    }
}
