package org.mpcwallet.signer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.signer.internal.StrictJson;
import org.mpcwallet.signer.permit.PermitFailureKind;

/**
 * The JSON wire form of {@link GatewayReply} between bank-server and a remote signer. The golden documents were
 * written by the build before the reply became a sealed type (one record with a status and a string kind), so a
 * signer or bank-server of that build still reads and writes exactly these bytes.
 */
class GatewayJsonTest {
    private static final String Q = "04" + "11".repeat(64);

    private record Golden(GatewayReply reply, String json, String text) {}

    private static final List<Golden> GOLDEN = List.of(
            new Golden(new GatewayReply.Continue("h1", new byte[] {1, 2, 3}),
                    "{\"status\":\"CONTINUE\",\"handle\":\"h1\",\"outbound\":\"AQID\""
                    + ",\"keyset\":null,\"signature\":null"
                    + ",\"failureKind\":null,\"reason\":null,\"keyLocked\":false}",
                    "GatewayReply[CONTINUE]"),
            new Golden(new GatewayReply.KeysetDone(new GatewayKeyset("ks-1", 3, Q, false), new byte[] {9, 8}),
                    "{\"status\":\"DONE\",\"handle\":null,\"outbound\":\"CQg=\""
                    + ",\"keyset\":{\"keysetId\":\"ks-1\",\"epoch\":3,\"publicKeyHex\":\"" + Q
                    + "\",\"locked\":false,\"retired\":false"
                    + ",\"sweepTo\":null,\"sweepsLeft\":0},\"signature\":null"
                    + ",\"failureKind\":null,\"reason\":null,\"keyLocked\":false}",
                    "GatewayReply[DONE]"),
            new Golden(new GatewayReply.KeysetDone(
                    new GatewayKeyset("ks-2", 4, Q, true, false, "0x" + "ab".repeat(20), 2), null),
                    "{\"status\":\"DONE\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":{\"keysetId\":\"ks-2\",\"epoch\":4,\"publicKeyHex\":\"" + Q
                    + "\",\"locked\":true,\"retired\":false"
                    + ",\"sweepTo\":\"0xabababababababababababababababababababab\",\"sweepsLeft\":2}"
                    + ",\"signature\":null"
                    + ",\"failureKind\":null,\"reason\":null,\"keyLocked\":false}",
                    "GatewayReply[DONE]"),
            new Golden(new GatewayReply.Signed(
                    new GatewayReply.Signature(BigInteger.valueOf(7), new BigInteger("9".repeat(40)), 1)),
                    "{\"status\":\"DONE\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":null"
                    + ",\"signature\":{\"r\":\"0000000000000000000000000000000000000000000000000000000000000007\""
                    + ",\"s\":\"0000000000000000000000000000001d6329f1c35ca4bfabb9f560ffffffffff\""
                    + ",\"recoveryId\":1}"
                    + ",\"failureKind\":null,\"reason\":null,\"keyLocked\":false}",
                    "GatewayReply[DONE]"),
            new Golden(new GatewayReply.Aborted(FailureKind.KEY_COMPROMISE_RISK, "O2: bad", true),
                    "{\"status\":\"ABORTED\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":null,\"signature\":null"
                    + ",\"failureKind\":\"KEY_COMPROMISE_RISK\",\"reason\":\"O2: bad\",\"keyLocked\":true}",
                    "GatewayReply[ABORTED KEY_COMPROMISE_RISK: O2: bad, key locked]"),
            new Golden(new GatewayReply.Aborted(FailureKind.MALFORMED_MESSAGE, "no message", false),
                    "{\"status\":\"ABORTED\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":null,\"signature\":null"
                    + ",\"failureKind\":\"MALFORMED_MESSAGE\",\"reason\":\"no message\",\"keyLocked\":false}",
                    "GatewayReply[ABORTED MALFORMED_MESSAGE: no message]"),
            new Golden(new GatewayReply.PermitRefused(PermitFailureKind.REPLAYED, "nonce used"),
                    "{\"status\":\"PERMIT_REFUSED\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":null,\"signature\":null"
                    + ",\"failureKind\":\"REPLAYED\",\"reason\":\"nonce used\",\"keyLocked\":false}",
                    "GatewayReply[PERMIT_REFUSED REPLAYED: nonce used]"),
            new Golden(new GatewayReply.Failed(GatewayFailureKind.UNKNOWN_SESSION, "gone", false),
                    "{\"status\":\"FAILED\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":null,\"signature\":null"
                    + ",\"failureKind\":\"UNKNOWN_SESSION\",\"reason\":\"gone\",\"keyLocked\":false}",
                    "GatewayReply[FAILED UNKNOWN_SESSION: gone]"),
            new Golden(new GatewayReply.Failed(GatewayFailureKind.PERSISTENCE_FAILED, "lock not stored", true),
                    "{\"status\":\"FAILED\",\"handle\":null,\"outbound\":null"
                    + ",\"keyset\":null,\"signature\":null"
                    + ",\"failureKind\":\"PERSISTENCE_FAILED\",\"reason\":\"lock not stored\",\"keyLocked\":true}",
                    "GatewayReply[FAILED PERSISTENCE_FAILED: lock not stored, key locked]"));

    private static String encode(GatewayReply r) {
        return new String(GatewayJson.encodeReply(r), StandardCharsets.UTF_8);
    }

    private static GatewayReply decode(String json) throws StrictJson.Invalid {
        return GatewayJson.decodeReply(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyReplyIsWrittenAsThePreviousBuildWroteIt() {
        for (Golden g : GOLDEN) {
            assertEquals(g.json(), encode(g.reply()), g.text());
            assertEquals(g.text(), g.reply().toString());
        }
    }

    @Test
    void everyDocumentOfThePreviousBuildReadsBackToTheSameReply() throws Exception {
        for (Golden g : GOLDEN) {
            GatewayReply back = decode(g.json());
            assertEquals(g.reply().getClass(), back.getClass(), g.text());
            assertEquals(g.json(), encode(back), g.text());
        }
        GatewayReply.Aborted locked = assertInstanceOf(GatewayReply.Aborted.class, decode(GOLDEN.get(4).json()));
        assertEquals(FailureKind.KEY_COMPROMISE_RISK, locked.kind());
        assertTrue(locked.keyLocked());
        assertEquals(PermitFailureKind.REPLAYED,
                assertInstanceOf(GatewayReply.PermitRefused.class, decode(GOLDEN.get(6).json())).kind());
        assertEquals(GatewayFailureKind.UNKNOWN_SESSION,
                assertInstanceOf(GatewayReply.Failed.class, decode(GOLDEN.get(7).json())).kind());
    }

    @Test
    void aKindThisBuildDoesNotKnowStaysAFailureAndKeepsItsKeyLock() throws Exception {
        // a remote signer of another build may send a kind this bank-server does not know: the reply is not dropped
        // (as "signer unavailable"), and a key lock it reports reaches the bank's records
        String lockedUnknown = GOLDEN.get(4).json().replace("KEY_COMPROMISE_RISK", "NO_SUCH_KIND");
        GatewayReply.Failed f = assertInstanceOf(GatewayReply.Failed.class, decode(lockedUnknown));
        assertEquals(GatewayFailureKind.UNRECOGNIZED, f.kind());
        assertTrue(f.keyLocked(), "the key lock is kept");
        assertEquals("ABORTED NO_SUCH_KIND: O2: bad", f.reason());
        String[] unknown = {
            GOLDEN.get(5).json().replace("MALFORMED_MESSAGE", "NO_SUCH_KIND"),  // unknown protocol failure kind
            GOLDEN.get(6).json().replace("REPLAYED", "UNKNOWN_SESSION"),        // a FAILED kind on PERMIT_REFUSED
            GOLDEN.get(7).json().replace("UNKNOWN_SESSION", "REPLAYED"),        // a permit kind on FAILED
        };
        for (String u : unknown) {
            GatewayReply.Failed g = assertInstanceOf(GatewayReply.Failed.class, decode(u), u);
            assertEquals(GatewayFailureKind.UNRECOGNIZED, g.kind(), u);
            assertEquals(false, g.keyLocked(), u);
        }
    }

    @Test
    void aShapeTheTypesCannotHoldIsRefused() {
        String aborted = GOLDEN.get(5).json();
        String refused = GOLDEN.get(6).json();
        String cont = GOLDEN.get(0).json();
        String signed = GOLDEN.get(3).json();
        String[] bad = {
            refused.replace("\"keyLocked\":false", "\"keyLocked\":true"),       // a refused permit locks nothing
            cont.replace("\"signature\":null", signed.substring(signed.indexOf("\"signature\":"),
                    signed.indexOf(",\"failureKind\""))),                      // CONTINUE with a signature
            signed.replace("\"outbound\":null", "\"outbound\":\"AQID\""),       // a signature with a message
        };
        for (String b : bad) {
            assertThrows(StrictJson.Invalid.class, () -> decode(b), b);
        }
    }

    private static final String PRESIG_ID = "ab".repeat(32);
    private static final String PRESIGN_DONE = "{\"status\":\"DONE\",\"handle\":null,\"outbound\":\"BwgJ\""
            + ",\"keyset\":null,\"signature\":null,\"presignatureId\":\"" + PRESIG_ID + "\""
            + ",\"failureKind\":null,\"reason\":null,\"keyLocked\":false}";

    @Test
    void aPresignsDoneCarriesItsIdAndLastMessageAndOnlyItHasTheField() throws Exception {
        GatewayReply.PresignDone done = new GatewayReply.PresignDone(PRESIG_ID, new byte[] {7, 8, 9});
        assertEquals(PRESIGN_DONE, encode(done));
        assertEquals("GatewayReply[DONE presignature]", done.toString());
        GatewayReply.PresignDone back = assertInstanceOf(GatewayReply.PresignDone.class, decode(PRESIGN_DONE));
        assertEquals(PRESIG_ID, back.presignatureId());
        assertTrue(java.util.Arrays.equals(new byte[] {7, 8, 9}, back.lastMessage()));
        for (Golden g : GOLDEN) {
            assertTrue(!encode(g.reply()).contains("presignatureId"), g.text());
        }
        String withId = ",\"presignatureId\":\"" + PRESIG_ID + "\"";
        String[] bad = {
            PRESIGN_DONE.replace(PRESIG_ID, PRESIG_ID.toUpperCase()),                 // not lowercase hex
            PRESIGN_DONE.replace(PRESIG_ID, "ab"),                                   // not 32 bytes
            PRESIGN_DONE.replace("\"" + PRESIG_ID + "\"", "null"),                  // no id
            PRESIGN_DONE.replace("\"outbound\":\"BwgJ\"", "\"outbound\":null"),      // no S3
            GOLDEN.get(0).json().replace(",\"failureKind\"", withId + ",\"failureKind\""), // on CONTINUE
            GOLDEN.get(5).json().replace(",\"failureKind\"", withId + ",\"failureKind\""), // on a failure
            GOLDEN.get(1).json().replace(",\"failureKind\"", withId + ",\"failureKind\""), // with a keyset
            GOLDEN.get(3).json().replace(",\"failureKind\"", withId + ",\"failureKind\""), // with a signature
        };
        for (String b : bad) {
            assertThrows(StrictJson.Invalid.class, () -> decode(b), b);
        }
        assertThrows(IllegalArgumentException.class, () -> new GatewayReply.PresignDone("xyz", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new GatewayReply.PresignDone(PRESIG_ID, null));
    }
}
