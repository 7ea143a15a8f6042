package org.mpcwallet.crypto.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.parity.InProcessRun;
import org.mpcwallet.crypto.parity.TestRingPedersen;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;

/**
 * The device's presign + online driver against the bank's P1 steps run in-process (P1KeyHolder), every message
 * through the channel's codec: a full run gives a signature that verifies under Q; the channel's and the protocol's
 * refusals are SessionFailure values, with a cancel for the bank.
 */
class OnlineSignDriverTest {
    private static final String SESSION = "presign-session-1";
    private static final String ONLINE_SESSION = "online-session-1";
    private static final String REQUEST = "req-1";
    private static final EthTransaction TX = new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.ZERO,
            BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(30_000_000_000L), BigInteger.valueOf(21000),
            EthAddress.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), new BigInteger("1000000000000000"),
            new byte[0]);

    private static P1KeyShare p1;
    private static P2KeyShare p2;

    @BeforeAll
    static void keygen() {
        InProcessRun.Result<P1KeyShare, P2KeyShare> kg = InProcessRun.keygen(sid("keygen"),
                TestRingPedersen.proven("online-bank", ModPow.JAVA), TestRingPedersen.proven("online-device",
                        ModPow.JAVA), env("p1"), env("p2"));
        p1 = kg.p1();
        p2 = kg.p2();
    }

    private static Env env(String label) {
        return new Env(DeterministicRandom.fromLabel("online-driver/" + label), ModPow.JAVA);
    }

    private static byte[] sid(String label) {
        return Sha256.hash(("online-driver/" + label).getBytes(StandardCharsets.UTF_8));
    }

    private static String msg(String session, long seq, byte[] payload) {
        return FrameCodec.encode(new Frame.Msg(session, seq, payload));
    }

    private static byte[] payloadOf(String frame) {
        return ((Frame.Msg) ((FrameCodec.Decoded.Ok<Frame.FromDevice>) FrameCodec.decodeFromDevice(frame)).frame())
                .payload();
    }

    private static boolean isCancel(String frame) {
        return ((FrameCodec.Decoded.Ok<Frame.FromDevice>) FrameCodec.decodeFromDevice(frame)).frame()
                instanceof Frame.Cancel;
    }

    /** The bank's side of a presign: P1's S1, S2 → S3 through the driver; the bank pools its presignature. */
    private static P2Presignature presign(P1KeyHolder holder, String label) {
        byte[] sid = sid(label);
        OnlineSignDriver<P2Presignature> d = OnlineSignDriver.presign(SESSION, sid, p2, env(label + "/2"));
        assertEquals(List.of(), d.open().send());
        Env env1 = env(label + "/1");
        Step.Continue<PresignP1.AwaitingNonce, P1Presignature> s1 =
                (Step.Continue<PresignP1.AwaitingNonce, P1Presignature>) holder.presignStart(sid, env1);
        DeviceSession.Reaction<P2Presignature> r = d.onFrame(msg(SESSION, 1, s1.outbound()));
        assertNull(r.failure());
        assertEquals(1, r.send().size());
        Step.Done<PresignP1.AwaitingNonce, P1Presignature> s3 =
                (Step.Done<PresignP1.AwaitingNonce, P1Presignature>) holder.presignNext(s1.state(),
                        payloadOf(r.send().get(0)));
        holder.addPresignature(s3.result());
        DeviceSession.Reaction<P2Presignature> last = d.onFrame(msg(SESSION, 3, s3.outbound()));
        assertNull(last.failure(), () -> last.failure().getMessage());
        assertTrue(last.finished() && d.isOver());
        assertEquals(List.of(), last.send());
        assertEquals(s3.result().idHex(), last.result().idHex());
        return last.result();
    }

    /** The bank's SIGN done for a signature, as MpcChannel sends it. */
    private static String done(String session, EcdsaSignature sig, EthTransaction tx) {
        byte[] signed = tx.encodeSigned(sig);
        return FrameCodec.encode(new Frame.SignDone(session, REQUEST, Bytes.toHex(Bytes.fixedWidth(sig.r(), 32)),
                Bytes.toHex(Bytes.fixedWidth(sig.s(), 32)), sig.recoveryId(), "0x" + Bytes.toHex(signed),
                "0x" + Bytes.toHex(Keccak256.hash(signed))));
    }

    @Test
    void presignThenOnlineGivesASignatureThatVerifiesUnderTheWalletsKey() {
        P1KeyHolder holder = new P1KeyHolder(p1);
        P2Presignature presig = presign(holder, "full");
        OnlineSignDriver<SignDriver.Result> d = OnlineSignDriver.online(ONLINE_SESSION, REQUEST, TX, p2, presig,
                env("full/o2"));
        DeviceSession.Reaction<SignDriver.Result> opened = d.open();
        assertNull(opened.failure());
        assertEquals(1, opened.send().size());
        Step<Void, EcdsaSignature> fin = holder.online(presig.idHex(), TX.signingHash(),
                payloadOf(opened.send().get(0)), env("full/o1"));
        EcdsaSignature sig = ((Step.Done<Void, EcdsaSignature>) fin).result();
        DeviceSession.Reaction<SignDriver.Result> r = d.onFrame(done(ONLINE_SESSION, sig, TX));
        assertNull(r.failure(), () -> r.failure().getMessage());
        assertTrue(Ecdsa.verify(TX.signingHash(), r.result().signature(), p2.publicKey()));
        assertEquals("0x" + Bytes.toHex(TX.encodeSigned(sig)), r.result().rawTransaction());
        assertTrue(d.isOver());
        // the presignature is single use: a second online run with it fails on the device, as a value
        DeviceSession.Reaction<SignDriver.Result> again = OnlineSignDriver.online("online-session-2", REQUEST, TX, p2,
                presig, env("full/again")).open();
        assertEquals("PROTOCOL_ABORTED", again.failure().code());
        assertTrue(isCancel(again.send().get(0)));
    }

    @Test
    void aTamperedS3IsAProtocolFailureAndTheDeviceCancels() {
        P1KeyHolder holder = new P1KeyHolder(p1);
        byte[] sid = sid("tamper");
        OnlineSignDriver<P2Presignature> d = OnlineSignDriver.presign(SESSION, sid, p2, env("tamper/2"));
        d.open();
        Step.Continue<PresignP1.AwaitingNonce, P1Presignature> s1 =
                (Step.Continue<PresignP1.AwaitingNonce, P1Presignature>) holder.presignStart(sid, env("tamper/1"));
        DeviceSession.Reaction<P2Presignature> r = d.onFrame(msg(SESSION, 1, s1.outbound()));
        byte[] s3 = ((Step.Done<PresignP1.AwaitingNonce, P1Presignature>) holder.presignNext(s1.state(),
                payloadOf(r.send().get(0)))).outbound();
        s3[s3.length - 1] ^= 1;
        r = d.onFrame(msg(SESSION, 3, s3));
        assertEquals("PROTOCOL_ABORTED", r.failure().code());
        assertEquals(1, r.send().size());
        assertTrue(isCancel(r.send().get(0)));
        assertEquals("UNKNOWN_SESSION", d.onFrame(msg(SESSION, 5, s3)).failure().code());
    }

    @Test
    void outOfOrderFramesEndTheSession() {
        P1KeyHolder holder = new P1KeyHolder(p1);
        byte[] sid = sid("order");
        Step.Continue<PresignP1.AwaitingNonce, P1Presignature> s1 =
                (Step.Continue<PresignP1.AwaitingNonce, P1Presignature>) holder.presignStart(sid, env("order/1"));
        // S1 with the wrong seq
        OnlineSignDriver<P2Presignature> d = OnlineSignDriver.presign(SESSION, sid, p2, env("order/2"));
        d.open();
        DeviceSession.Reaction<P2Presignature> r = d.onFrame(msg(SESSION, 3, s1.outbound()));
        assertEquals("OUT_OF_ORDER", r.failure().code());
        assertTrue(isCancel(r.send().get(0)));
        // S1 replayed
        d = OnlineSignDriver.presign(SESSION, sid, p2, env("order/2"));
        d.open();
        assertNull(d.onFrame(msg(SESSION, 1, s1.outbound())).failure());
        assertEquals("OUT_OF_ORDER", d.onFrame(msg(SESSION, 1, s1.outbound())).failure().code());
        // a frame before open, another session's msg, a started frame, a 'done' in presign
        d = OnlineSignDriver.presign(SESSION, sid, p2, env("order/2"));
        assertEquals("OUT_OF_ORDER", d.onFrame(msg(SESSION, 1, s1.outbound())).failure().code());
        d = OnlineSignDriver.presign(SESSION, sid, p2, env("order/2"));
        d.open();
        assertEquals("UNKNOWN_SESSION", d.onFrame(msg("other", 1, s1.outbound())).failure().code());
        d = OnlineSignDriver.presign(SESSION, sid, p2, env("order/2"));
        d.open();
        assertEquals("OUT_OF_ORDER", d.onFrame(FrameCodec.encode(new Frame.Started(SESSION, "SIGN",
                Bytes.toHex(sid), "wallet-1", REQUEST))).failure().code());
        // online: a protocol message where 'done' is expected, and 'done' before O1
        P2Presignature presig = presign(holder, "order-online");
        OnlineSignDriver<SignDriver.Result> o = OnlineSignDriver.online(ONLINE_SESSION, REQUEST, TX, p2, presig,
                env("order/o2"));
        assertEquals("OUT_OF_ORDER", o.onFrame(done(ONLINE_SESSION, new EcdsaSignature(BigInteger.ONE,
                BigInteger.ONE, 0), TX)).failure().code());
        o = OnlineSignDriver.online(ONLINE_SESSION, REQUEST, TX, p2, presign(holder, "order-online-2"),
                env("order/o2b"));
        o.open();
        assertEquals("OUT_OF_ORDER", o.onFrame(msg(ONLINE_SESSION, 2, new byte[] {1})).failure().code());
    }

    @Test
    void aDoneForAnotherMessageOrATamperedSignatureIsRefused() {
        P1KeyHolder holder = new P1KeyHolder(p1);
        P2Presignature presig = presign(holder, "verify");
        OnlineSignDriver<SignDriver.Result> d = OnlineSignDriver.online(ONLINE_SESSION, REQUEST, TX, p2, presig,
                env("verify/o2"));
        byte[] o1 = payloadOf(d.open().send().get(0));
        EcdsaSignature sig = ((Step.Done<Void, EcdsaSignature>) holder.online(presig.idHex(), TX.signingHash(), o1,
                env("verify/o1"))).result();
        EcdsaSignature flipped = new EcdsaSignature(sig.r(), sig.s(), 1 - sig.recoveryId());
        DeviceSession.Reaction<SignDriver.Result> r = d.onFrame(done(ONLINE_SESSION, flipped, TX));
        assertEquals("VERIFY_FAILED", r.failure().code());
        assertTrue(isCancel(r.send().get(0)));

        // the bank finishes O1 for another hash than the device's: P1 refuses before decrypting
        P2Presignature other = presign(holder, "verify-2");
        OnlineSignDriver<SignDriver.Result> d2 = OnlineSignDriver.online(ONLINE_SESSION, REQUEST, TX, p2, other,
                env("verify/o2b"));
        byte[] o1b = payloadOf(d2.open().send().get(0));
        Step<Void, EcdsaSignature> refused = holder.online(other.idHex(), Sha256.hash(new byte[] {1}), o1b,
                env("verify/o1b"));
        assertTrue(refused instanceof Step.Aborted<Void, EcdsaSignature>, refused::toString);
        DeviceSession.Reaction<SignDriver.Result> e = d2.onFrame(FrameCodec.encode(new Frame.Error(ONLINE_SESSION,
                "PROTOCOL_ABORTED", "INCONSISTENT_STATE at O2")));
        assertEquals(new SessionFailure("PROTOCOL_ABORTED", "INCONSISTENT_STATE at O2"), e.failure());
        assertEquals(List.of(), e.send());
        assertNotNull(d2.abandon());
    }
}
