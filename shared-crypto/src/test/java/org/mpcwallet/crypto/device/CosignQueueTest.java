package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;

/** The co-sign queue's decisions: fetch, wait (saying what changed), stop, refuse and why, co-sign. */
class CosignQueueTest {
    private static final String TO = "0x3535353535353535353535353535353535353535";
    private static final String TOKEN = "0x1111111111111111111111111111111111111111";
    private static final CosignCheck.Fields FIELDS = new CosignCheck.Fields("EIP1559", "31337", "0", "1000000000",
            "2000000000", null, "21000", TO, "1000", "0x");
    private static final CosignCheck.Transfer ASKED = new CosignCheck.Transfer("w1", TO, BigInteger.valueOf(1000),
            null, BigInteger.valueOf(31337));

    private static CosignQueue.Transfer transfer(String status, String signRequestId) {
        return new CosignQueue.Transfer("tx1", status, signRequestId, 1, 2, null, ASKED, CosignCheck.Asset.ETH);
    }

    private static String hash(CosignCheck.Fields f) {
        return "0x" + Bytes.toHex(((CosignCheck.Built.Ok) CosignCheck.build(f)).tx().signingHash());
    }

    private static CosignQueue.SignRequest sign(CosignCheck.Fields f, String status, boolean expired) {
        return new CosignQueue.SignRequest("s1", "w1", status, expired, f, hash(f));
    }

    @Test
    void waitsSayingEachNewStatusOnceThenStopsWhenTheTimeIsUp() {
        CosignQueue q = new CosignQueue("tx1", 5, null);
        assertEquals(new CosignQueue.Decision.Wait("request tx1 is APPROVAL_PENDING; waiting for the bank's sign "
                + "request (up to 5 s)"), q.onTransfer(transfer("APPROVAL_PENDING", null), false));
        assertEquals(new CosignQueue.Decision.Wait(null), q.onTransfer(transfer("APPROVAL_PENDING", null), false));
        assertEquals(new CosignQueue.Decision.Stop(null, "request tx1 has no sign request to co-sign after 5 s (it is "
                + "APPROVAL_PENDING, 1 of 2 approvals); run cosign again later"),
                q.onTransfer(transfer("APPROVAL_PENDING", null), true));
        CosignQueue.Decision.Stop s = assertInstanceOf(CosignQueue.Decision.Stop.class,
                new CosignQueue("tx1", 0, null).onTransfer(transfer("KYT_PENDING", null), true));
        assertEquals("request tx1 is KYT_PENDING; waiting for the bank's sign request", s.progress());
        assertEquals("request tx1 has no sign request to co-sign after 0 s (it is KYT_PENDING); run cosign again "
                + "later", s.reason());
    }

    @Test
    void stopsWhenTheTransferCanNoLongerBeCoSigned() {
        CosignQueue q = new CosignQueue("tx1", 5, null);
        assertEquals(new CosignQueue.Decision.Stop(null, "request tx1 is FINALIZED; there is nothing to co-sign"),
                q.onTransfer(transfer("FINALIZED", null), false));
        CosignQueue.Transfer failed = new CosignQueue.Transfer("tx1", "FAILED_SIGN", null, 0, 0, "KEY_LOCKED", ASKED,
                CosignCheck.Asset.ETH);
        assertEquals("request tx1 is FAILED_SIGN; there is nothing to co-sign (KEY_LOCKED)",
                assertInstanceOf(CosignQueue.Decision.Stop.class, q.onTransfer(failed, false)).reason());
    }

    @Test
    void fetchesTheSignRequestAndWaitsWhileItIsNotPendingOrExpired() {
        CosignQueue q = new CosignQueue("tx1", 5, null);
        assertEquals(new CosignQueue.Decision.Fetch("s1"), q.onTransfer(transfer("SIGN_PENDING", "s1"), false));
        assertEquals(new CosignQueue.Decision.Wait("request tx1 is SIGN_PENDING; waiting for the bank's sign request "
                + "(up to 5 s)"), q.onSignRequest(transfer("SIGN_PENDING", "s1"), sign(FIELDS, "PENDING", true),
                false));
        assertEquals(new CosignQueue.Decision.Wait(null), q.onSignRequest(transfer("SIGN_PENDING", "s1"),
                sign(FIELDS, "SIGNED", false), false));
        assertInstanceOf(CosignQueue.Decision.Wait.class, q.onTransfer(transfer("SIGN_PENDING", null), false));
    }

    @Test
    void coSignsTheTransferItWasAskedForWithTheReview() {
        CosignQueue.Decision d = new CosignQueue("tx1", 5, null).onSignRequest(transfer("SIGN_PENDING", "s1"),
                sign(FIELDS, "PENDING", false), false);
        CosignQueue.Decision.CoSign c = assertInstanceOf(CosignQueue.Decision.CoSign.class, d);
        assertEquals("s1", c.request().id());
        assertEquals("0.000000000000001 ETH", c.review().amountText());
        assertEquals(hash(FIELDS), "0x" + Bytes.toHex(c.tx().signingHash()));
        // an ERC-20 transfer shown in the token's units
        CosignCheck.Fields token = new CosignCheck.Fields("EIP1559", "31337", "0", "1", "2", null, "60000", TOKEN, "0",
                "0x" + Bytes.toHex(Erc20.transferCalldata(EthAddress.parse(TO), BigInteger.valueOf(2500))));
        CosignQueue.Transfer usdc = new CosignQueue.Transfer("tx1", "SIGN_PENDING", "s1", 0, 0, null,
                new CosignCheck.Transfer("w1", TO, BigInteger.valueOf(2500), TOKEN, null),
                new CosignCheck.Asset("USDC", 3, TOKEN));
        assertEquals("2.5 USDC", assertInstanceOf(CosignQueue.Decision.CoSign.class, new CosignQueue("tx1", 5, null)
                .onSignRequest(usdc, sign(token, "PENDING", false), false)).review().amountText());
    }

    @Test
    void refusesEachBadSignRequestWithItsReason() {
        CosignQueue q = new CosignQueue("tx1", 5, new CosignCheck.FeeCeiling(BigInteger.valueOf(1_000_000_000L),
                null));
        CosignQueue.Transfer t = transfer("SIGN_PENDING", "s1");
        CosignCheck.Fields other = new CosignCheck.Fields("EIP1559", "31337", "0", "1000000000", "2000000000", null,
                "21000", TO, "9000", "0x");
        assertEquals(new CosignQueue.Decision.Refuse(CosignCheck.Rule.NOT_THE_TRANSFER, "refusing to co-sign sign "
                + "request s1 for transaction request tx1: it sends 9000 wei to " + EthAddress.parse(TO).toChecksumHex()
                + ", not 1000 wei to " + EthAddress.parse(TO).toChecksumHex()),
                q.onSignRequest(t, sign(other, "PENDING", false), false));
        CosignQueue.SignRequest wrongHash = new CosignQueue.SignRequest("s1", "w1", "PENDING", false, FIELDS,
                hash(other));
        assertEquals(new CosignQueue.Decision.Refuse(CosignCheck.Rule.HASH_MISMATCH, "refusing to sign request s1: "
                + "the bank's signing hash " + hash(other) + " does not match the hash of the request's fields ("
                + hash(FIELDS) + ")"), q.onSignRequest(t, wrongHash, false));
        CosignCheck.Fields bad = new CosignCheck.Fields("EIP1559", "31337", "-1", "1", "2", null, "21000", TO, "1000",
                "0x");
        assertEquals(new CosignQueue.Decision.Refuse(CosignCheck.Rule.INVALID_FIELDS, "refusing to sign request s1: "
                + "its fields are invalid (nonce must be a non-negative decimal integer)"),
                q.onSignRequest(t, new CosignQueue.SignRequest("s1", "w1", "PENDING", false, bad, hash(FIELDS)),
                        false));
        assertEquals(new CosignQueue.Decision.Refuse(CosignCheck.Rule.FEE_ABOVE_CEILING, "refusing to sign request "
                + "s1: its max fee per gas 2 gwei is above the ceiling of 1 gwei"),
                q.onSignRequest(t, sign(FIELDS, "PENDING", false), false));
    }

    @Test
    void needsATransferIdAndANonNegativeTimeout() {
        assertThrows(IllegalArgumentException.class, () -> new CosignQueue(null, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new CosignQueue("tx1", -1, null));
        assertNull(new CosignQueue.Decision.Wait(null).progress());
    }
}
