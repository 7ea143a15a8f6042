package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.chain.ChainResult;
import org.mpcwallet.bank.chain.EthNode;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * Many requests, workers and votes at once (three workers stand in for three bank instances on one PostgreSQL): the
 * daily limit is never overshot, no vote counts twice and no request moves twice, and every nonce is used once.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineConcurrencyTest extends PipelineHarness {
    private static final int REQUESTS = 10;
    private static final int FIT = 7; // 7 × 1000 wei fit under the daily limit of 7500

    @Test
    void requestsWorkersAndVotesInParallel() throws Exception {
        User owner = user();
        List<User> approvers = List.of(user("SIGNATORY"), user("SIGNATORY"), user("SIGNATORY"));
        User admin = user("ADMIN");
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            UUID walletId = UUID.fromString(w.walletId());
            for (User a : approvers) {
                send(HttpRequest.POST("/v1/wallets/" + w.walletId() + "/roles", Map.of("userId", a.id(), "role",
                        "APPROVER")), admin);
            }
            policy("APPROVAL_REQUIRED", walletId, null, null, null, 2);
            policy("DAILY_LIMIT", walletId, "ETH", null, "7500", null);

            List<String> ids = parallel(REQUESTS, i -> (String) txRequest(owner, w.walletId(), TO, "1000").get("id"));
            runWorkersUntil(() -> ids.stream().map(id -> (String) get(id, owner).get("status")).allMatch(
                    s -> s.equals("APPROVAL_PENDING") || s.equals("POLICY_BLOCKED")));
            List<String> pending = ids.stream().filter(id -> "APPROVAL_PENDING".equals(get(id, owner).get("status")))
                    .toList();
            assertEquals(FIT, pending.size(), "exactly the requests that fit under the daily limit");
            assertEquals(BigInteger.valueOf(FIT * 1000L), scalar("select total from daily_volumes where wallet_id = '"
                    + walletId + "'"), "the reserved volume never overshoots");

            // every approver votes on every pending request at the same moment
            List<Callable<Integer>> votes = new ArrayList<>();
            for (String id : pending) {
                for (User a : approvers) {
                    votes.add(() -> {
                        try {
                            send(HttpRequest.POST("/v1/tx-requests/" + id + "/approve", Map.of("decision", "APPROVE")),
                                    a);
                            return 200;
                        } catch (HttpClientResponseException e) {
                            return e.code();
                        }
                    });
                }
            }
            List<Integer> codes = parallel(votes.size(), i -> votes.get(i).call());
            assertEquals(2L * FIT, codes.stream().filter(c -> c == 200).count(), "two votes count per request");
            assertEquals((long) FIT, codes.stream().filter(c -> c == 409).count(), "the third is refused");
            for (String id : pending) {
                assertEquals(2L, scalar("select count(*) from approvals where tx_request_id = '" + id + "'")
                        .longValue());
                assertEquals(1L, scalar("select count(*) from audit_event where type = 'TX_STATUS_CHANGED' and "
                        + "payload::jsonb ->> 'txRequestId' = '" + id + "' and payload::jsonb ->> 'to' = "
                        + "'SIGN_PENDING'").longValue(), "moved to SIGN_PENDING exactly once");
            }

            // the device co-signs each as its sign request appears, while three workers run
            Set<String> signed = new java.util.HashSet<>();
            runWorkersUntil(() -> {
                for (String id : pending) {
                    Map<?, ?> r = get(id, owner);
                    if (!signed.contains(id) && "SIGN_PENDING".equals(r.get("status")) && r.get("signRequestId") != null) {
                        Map<String, Object> done = cosign(device, owner, (String) r.get("signRequestId"), w.share());
                        assertEquals("done", done.get("type"), () -> "got " + done);
                        signed.add(id);
                    }
                }
                return signed.size() == pending.size();
            });
            runWorkersUntil(() -> {
                rpc("anvil_mine", List.of("0x1"));
                return pending.stream().allMatch(id -> "FINALIZED".equals(get(id, owner).get("status")));
            });
            Set<BigInteger> nonces = new TreeSet<>();
            for (String id : pending) {
                nonces.add(new BigInteger((String) get(id, owner).get("nonce")));
            }
            assertEquals(FIT, nonces.size(), "no nonce used twice");
            try (EthNode node = EthNode.connect(anvil.rpcUrl())) {
                assertEquals(BigInteger.valueOf(FIT), ((ChainResult.Ok<BigInteger>) node.pendingNonce(w.address()))
                        .value(), "one transaction per request on chain");
            }
            assertTrue(audit.verify().ok());
        }
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    @FunctionalInterface
    interface Task<T> {
        T run(int i) throws Exception;
    }

    /** Three workers step concurrently (like three instances) until {@code done} holds. */
    private void runWorkersUntil(Condition done) throws Exception {
        for (int round = 0; round < 200; round++) {
            if (done.holds()) {
                return;
            }
            parallel(3, i -> worker.runOnce());
            Thread.sleep(100);
        }
        throw new AssertionError("the requests did not get there in 200 rounds");
    }

    private static <T> List<T> parallel(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 12));
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.run(k);
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private BigInteger scalar(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBigDecimal(1).toBigIntegerExact();
        }
    }

}
