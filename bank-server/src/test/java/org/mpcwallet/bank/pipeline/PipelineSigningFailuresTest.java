package org.mpcwallet.bank.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mpcwallet.bank.ApiUsers.User;
import org.mpcwallet.bank.mpc.TestDevice;

/**
 * SIGN_PENDING when the device does not finish: a sign request that expires is replaced (same nonce, the request
 * stays SIGN_PENDING and can still be co-signed); three failed co-signing sessions end the request in FAILED_SIGN.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineSigningFailuresTest extends PipelineHarness {

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = super.getProperties();
        p.put("bank.signer.sign-request-ttl-seconds", "10");
        return p;
    }

    @Test
    void anExpiredSignRequestIsReplacedWithTheSameNonceAndCanStillBeCoSigned() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "777").get("id");
            Map<?, ?> first = untilSignRequest(id, owner);
            String firstSign = (String) first.get("signRequestId");
            Thread.sleep(10_500); // the sign request's 10 s lapse
            Map<?, ?> second = first;
            for (int i = 0; i < 100 && firstSign.equals(second.get("signRequestId")); i++) {
                worker.runOnce();
                Thread.sleep(100);
                second = get(id, owner);
            }
            assertEquals("SIGN_PENDING", second.get("status"));
            assertNotEquals(firstSign, second.get("signRequestId"), "a new sign request");
            assertEquals(first.get("nonce"), second.get("nonce"), "the nonce stays reserved");
            Map<?, ?> old = send(io.micronaut.http.HttpRequest.GET("/v1/sign-requests/" + firstSign), owner);
            byte[] hash = HexFormat.of().parseHex(((String) old.get("signingHash")).substring(2));
            Map<String, Object> refused = device.sign(firstSign, hash, w.share(), m -> m);
            assertEquals("WRONG_STATE", refused.get("code"), "the lapsed sign request is not co-signed");
            Map<String, Object> done = cosign(device, owner, (String) second.get("signRequestId"), w.share());
            assertEquals("done", done.get("type"), () -> "got " + done);
            until(id, owner, "FINALIZED");
        }
    }

    @Test
    void threeFailedCoSigningSessionsEndInFailedSign() throws Exception {
        User owner = user();
        try (TestDevice device = TestDevice.connect(json, server.getPort(), owner.bearer())) {
            Funded w = wallet(owner, "RETAIL", device);
            String id = (String) txRequest(owner, w.walletId(), TO, "888").get("id");
            String signRequestId = (String) untilSignRequest(id, owner).get("signRequestId");
            Map<?, ?> sr = send(io.micronaut.http.HttpRequest.GET("/v1/sign-requests/" + signRequestId), owner);
            byte[] hash = HexFormat.of().parseHex(((String) sr.get("signingHash")).substring(2));
            for (int i = 0; i < 3; i++) {
                device.send("type", "sign", "requestId", signRequestId, "signingHash", HexFormat.of().formatHex(hash),
                        "shareEpoch", w.share().epoch());
                Map<String, Object> started = device.expect("started");
                device.expect("msg");
                device.send("type", "cancel", "session", started.get("session"));
                assertEquals("CANCELLED", device.expect("error").get("code"));
            }
            Map<?, ?> failed = until(id, owner, "FAILED_SIGN");
            assertTrue(String.valueOf(failed.get("lastError")).contains("3"), () -> "got " + failed);
        }
    }
}
