package org.mpcwallet.bank.mpc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.signer.gateway.GatewayFailureKind;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.permit.PermitFailureKind;

/** The bank's channel rules as a pure transition: every input, the state and actions it yields, no I/O. */
class ChannelSessionTest {
    private static final long NOW = 1_000_000L;
    private final ChannelSession channel = new ChannelSession(new ChannelSession.Rules(4, 120, 30, 300));
    private final UUID wallet = UUID.randomUUID();

    @Test
    void pingIsAnsweredWithPong() {
        ChannelSession.Step s = channel.next(ChannelSession.State.open(), frame(new Frame.Ping()));
        assertEquals(List.of(new ChannelAction.Send(new Frame.Pong())), s.actions());
    }

    @Test
    void aMalformedFrameNamingNoSessionIsRefusedAlone() {
        ChannelSession.Step s = channel.next(ChannelSession.State.open(),
                new ChannelInput.FrameText("{\"type\":\"msg\",\"seq\":1}"));
        Frame.Error e = onlyError(s);
        assertNull(e.session());
        assertEquals("BAD_FRAME", e.code());
        assertTrue(s.state().sessions().isEmpty());
    }

    @Test
    void aSessionRequestAsksTheRunnerToOpenIt() {
        Frame.Keygen k = new Frame.Keygen(wallet.toString());
        ChannelSession.Step s = channel.next(ChannelSession.State.open(), frame(k));
        assertEquals(List.of(new ChannelAction.OpenSession(k)), s.actions());
    }

    @Test
    void aConnectionRunsAtMostFourSessions() {
        ChannelSession.State st = ChannelSession.State.open();
        for (int i = 0; i < 4; i++) {
            st = channel.next(st, opened(SessionKind.KEYGEN)).state();
        }
        ChannelSession.Step s = channel.next(st, frame(new Frame.Keygen(wallet.toString())));
        assertEquals("BUSY", onlyError(s).code());
        assertEquals(4, s.state().sessions().size());
    }

    @Test
    void anOpenedSessionIsAnnouncedAndItsFirstStepRuns() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        ChannelSession.Step s = channel.next(ChannelSession.State.open(), o);
        Frame.Started started = (Frame.Started) ((ChannelAction.Send) s.actions().get(0)).frame();
        assertEquals("KEYGEN", started.kind());
        assertEquals(HexFormat.of().formatHex(o.sid()), started.sid());
        assertEquals(new ChannelAction.CallSigner(o.session().id(), o.start()), s.actions().get(1));
        assertTrue(s.state().sessions().containsKey(o.session().id()));
    }

    @Test
    void theSignersMessageIsRecordedThenRelayedAndTheDevicesAnswerGoesBack() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        UUID id = o.session().id();
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        ChannelSession.Step s = channel.next(st, new ChannelInput.SignerReplied(id,
                new GatewayReply.Continue("h1", new byte[] {1, 2}), NOW));
        assertEquals(new ChannelAction.RecordStep(id, 1), s.actions().get(0));
        assertEquals(new ChannelAction.Send(new Frame.Msg(id.toString(), 1, new byte[] {1, 2})), s.actions().get(1));
        RunningSession r = s.state().sessions().get(id);
        assertEquals("h1", r.handle());
        assertEquals(NOW + 30_000, r.stepDeadline());

        ChannelSession.Step next = channel.next(s.state(), frame(new Frame.Msg(id.toString(), 2, new byte[] {3})));
        ChannelAction.CallSigner call = (ChannelAction.CallSigner) next.actions().get(0);
        SignerCall.Next n = (SignerCall.Next) call.call();
        assertEquals("h1", n.handle());
        assertEquals(3, n.payload()[0]);
        assertNull(next.state().sessions().get(id).handle(), "no handle while the signer works");
        assertEquals(2, next.state().sessions().get(id).lastSeq());
    }

    @Test
    void aReplayedOrReorderedMessageEndsTheSession() {
        ChannelInput.Opened o = opened(SessionKind.SIGN);
        UUID id = o.session().id();
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        st = channel.next(st, new ChannelInput.SignerReplied(id, new GatewayReply.Continue("h1", new byte[1]), NOW))
                .state();
        for (long seq : new long[] {1, 3, 0}) {
            ChannelSession.Step s = channel.next(st, frame(new Frame.Msg(id.toString(), seq, new byte[1])));
            assertEquals(new ChannelAction.AbandonSigner(id, "h1"), s.actions().get(0));
            ChannelAction.RecordEnd end = (ChannelAction.RecordEnd) s.actions().get(1);
            assertEquals("OUT_OF_ORDER", end.code());
            assertEquals("FAILED", end.status());
            assertEquals(id.toString(), lastError(s).session());
            assertFalse(s.state().sessions().containsKey(id));
        }
    }

    @Test
    void aMessageOrCancelForAnUnknownSessionIsRefusedWithoutEndingOthers() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        UUID other = UUID.randomUUID();
        ChannelSession.Step s = channel.next(st, frame(new Frame.Msg(other.toString(), 1, new byte[1])));
        assertEquals(new Frame.Error(other.toString(), "UNKNOWN_SESSION", "no running session " + other
                + " on this connection"), onlyError(s));
        assertEquals(1, s.state().sessions().size());
        s = channel.next(st, frame(new Frame.Cancel(other.toString())));
        assertEquals("UNKNOWN_SESSION", onlyError(s).code());
        s = channel.next(st, frame(new Frame.Cancel("not-a-uuid")));
        assertEquals("BAD_FRAME", onlyError(s).code());
    }

    @Test
    void theDeviceCancels() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        ChannelSession.Step s = channel.next(st, frame(new Frame.Cancel(o.session().id().toString())));
        assertEquals("CANCELLED", ((ChannelAction.RecordEnd) s.actions().get(0)).code());
        assertEquals("CANCELLED", lastError(s).code());
        assertTrue(s.state().sessions().isEmpty());
    }

    @Test
    void aMalformedFrameNamingARunningSessionEndsIt() {
        ChannelInput.Opened o = opened(SessionKind.SIGN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        ChannelSession.Step s = channel.next(st, new ChannelInput.FrameText("{\"type\":\"msg\",\"session\":\""
                + o.session().id() + "\",\"seq\":2.5,\"payload\":\"AA==\"}"));
        ChannelAction.RecordEnd end = (ChannelAction.RecordEnd) s.actions().get(0);
        assertEquals(o.session().id(), end.session().id());
        assertEquals("BAD_FRAME", end.code());
        assertTrue(s.state().sessions().isEmpty());
    }

    @Test
    void aFinishedKeygenIsRecordedBeforeTheDeviceHearsOfIt() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        String q = HexFormat.of().formatHex(Point.G.encodeUncompressed());
        ChannelSession.Step s = channel.next(st, new ChannelInput.SignerReplied(o.session().id(),
                new GatewayReply.KeysetDone(new GatewayKeyset("ks", 0, q, false), new byte[1]), NOW));
        String address = EthAddress.fromPublicKey(Point.G.encodeUncompressed()).toChecksumHex();
        ChannelAction.RecordKeygen rec = (ChannelAction.RecordKeygen) s.actions().get(0);
        assertEquals(address, rec.address());
        assertEquals(new ChannelAction.Send(new Frame.KeygenDone(o.session().id().toString(), wallet.toString(), q,
                address)), s.actions().get(1));
        assertTrue(s.state().sessions().isEmpty());
    }

    @Test
    void aSignatureIsRecordedWithTheSignedTransactionAndARecordingFailureEndsTheSession() {
        ChannelInput.Opened o = opened(SessionKind.SIGN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        GatewayReply.Signature sig = new GatewayReply.Signature(BigInteger.valueOf(7), BigInteger.valueOf(9), 1);
        ChannelSession.Step s = channel.next(st, new ChannelInput.SignerReplied(o.session().id(),
                new GatewayReply.Signed(sig), NOW));
        ChannelAction.RecordSignature rec = (ChannelAction.RecordSignature) s.actions().get(0);
        EthTransaction tx = o.session().request().tx();
        EcdsaSignature e = new EcdsaSignature(BigInteger.valueOf(7), BigInteger.valueOf(9), 1);
        assertEquals(HexFormat.of().formatHex(tx.encodeSigned(e)), HexFormat.of().formatHex(rec.rawTransaction()));
        Frame.SignDone done = (Frame.SignDone) ((ChannelAction.Send) s.actions().get(1)).frame();
        assertEquals("0x" + HexFormat.of().formatHex(tx.transactionHash(e)), done.txHash());
        assertEquals("0".repeat(63) + "7", done.r());

        // the runner could not record it (the sweeper expired the session meanwhile): the device hears the failure
        ChannelSession.Step f = channel.next(s.state(), new ChannelInput.Failed(o.session(), "TIMEOUT",
                "the session expired before it completed"));
        assertEquals("TIMEOUT", ((ChannelAction.RecordEnd) f.actions().get(0)).code());
        assertEquals(new Frame.Error(o.session().id().toString(), "TIMEOUT",
                "the session expired before it completed"), lastError(f));
    }

    @Test
    void aRefusedPermitAndALockedKeyAreRecordedAndEndTheSession() {
        ChannelInput.Opened o = opened(SessionKind.SIGN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        ChannelSession.Step s = channel.next(st, new ChannelInput.SignerReplied(o.session().id(),
                new GatewayReply.PermitRefused(PermitFailureKind.REPLAYED, "nonce used"), NOW));
        assertInstanceOf(ChannelAction.RecordPermitRefused.class, s.actions().get(0));
        assertEquals(new Frame.Error(o.session().id().toString(), "PERMIT_REFUSED", "REPLAYED: nonce used"),
                lastError(s));

        // the protocol locked the key (its lock stored) ...
        s = channel.next(st, new ChannelInput.SignerReplied(o.session().id(),
                new GatewayReply.Aborted(FailureKind.KEY_COMPROMISE_RISK, "bad sig", true), NOW));
        ChannelAction.RecordKeyLocked locked = (ChannelAction.RecordKeyLocked) s.actions().get(0);
        assertEquals("KEY_COMPROMISE_RISK", locked.failure());
        assertEquals("KEY_LOCKED", lastError(s).code());
        // ... or locked it but the signer could not store the lock: a FAILED reply with the key locked
        s = channel.next(st, new ChannelInput.SignerReplied(o.session().id(),
                new GatewayReply.Failed(GatewayFailureKind.PERSISTENCE_FAILED, "bad sig", true), NOW));
        locked = (ChannelAction.RecordKeyLocked) s.actions().get(0);
        assertEquals("PERSISTENCE_FAILED", locked.failure());
        assertEquals("KEY_LOCKED", lastError(s).code());

        s = channel.next(st, new ChannelInput.SignerReplied(o.session().id(),
                new GatewayReply.Aborted(FailureKind.PROOF_INVALID, "S2", false), NOW));
        assertEquals("PROTOCOL_ABORTED", lastError(s).code());
    }

    @Test
    void aLateDeviceOrAnIdleConnectionTimesOut() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        st = channel.next(st, new ChannelInput.SignerReplied(o.session().id(), new GatewayReply.Continue("h",
                new byte[1]), NOW)).state();
        assertTrue(channel.next(st, new ChannelInput.Tick(NOW + 30_000, NOW)).actions().isEmpty());
        ChannelSession.Step s = channel.next(st, new ChannelInput.Tick(NOW + 30_001, NOW));
        ChannelAction.RecordEnd end = (ChannelAction.RecordEnd) s.actions().get(1);
        assertEquals("EXPIRED", end.status());
        assertEquals("no device message within 30 s", end.detail());

        // no session, no frame for longer than the idle limit: the connection closes (1001)
        ChannelSession.Step idle = channel.next(ChannelSession.State.open(),
                new ChannelInput.Tick(NOW + 300_001, NOW));
        assertEquals("IDLE", onlyErrorBefore(idle).code());
        assertEquals(new ChannelAction.Close(ChannelAction.CLOSE_GOING_AWAY, "idle"), idle.actions().getLast());
        assertTrue(idle.state().closed());
    }

    @Test
    void aCutOffEndsEverySessionTellsTheDeviceAndClosesAndThenNothingIsHandled() {
        ChannelSession.State st = ChannelSession.State.open();
        st = channel.next(st, opened(SessionKind.KEYGEN)).state();
        st = channel.next(st, opened(SessionKind.SIGN)).state();
        ChannelSession.Step s = channel.next(st, new ChannelInput.CutOff(ChannelAction.CLOSE_POLICY_VIOLATION,
                "REVOKED", "your access was revoked", "revoked"));
        long ends = s.actions().stream().filter(a -> a instanceof ChannelAction.RecordEnd).count();
        assertEquals(2, ends);
        assertEquals(new ChannelAction.Close(ChannelAction.CLOSE_POLICY_VIOLATION, "revoked"), s.actions().getLast());
        assertNull(onlyErrorBefore(s).session());
        assertTrue(s.state().closed());
        assertTrue(channel.next(s.state(), frame(new Frame.Ping())).actions().isEmpty());
    }

    @Test
    void aClosedConnectionEndsItsSessionsSilently() {
        ChannelInput.Opened o = opened(SessionKind.KEYGEN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        ChannelSession.Step s = channel.next(st, new ChannelInput.Closed());
        assertEquals(1, s.actions().size());
        assertEquals("DISCONNECTED", ((ChannelAction.RecordEnd) s.actions().get(0)).code());
        assertTrue(s.state().closed());
    }

    @Test
    void aDetailIsClippedAndFreeOfControlCharacters() {
        assertEquals("a b", ChannelSession.clip("a\nb"));
        assertEquals(300, ChannelSession.clip("x".repeat(1000)).length());
        assertEquals("", ChannelSession.clip(null));
    }

    // ---- presign and online (docs/presign-online.md)

    private static final String PRESIG = "ab".repeat(32);

    @Test
    void presignAndOnlineRequestsAskTheRunnerToOpenThem() {
        for (Frame.FromDevice f : List.of(new Frame.Presign(wallet.toString()),
                new Frame.Online(UUID.randomUUID().toString(), "cd".repeat(32), 1, PRESIG))) {
            assertEquals(List.of(new ChannelAction.OpenSession(f)), channel.next(ChannelSession.State.open(), frame(f))
                    .actions());
        }
    }

    @Test
    void aPresignRelaysS1AndS2AndEndsWithS3AfterThePresignatureIsRecorded() {
        RunningSession r = RunningSession.opened(UUID.randomUUID(), SessionKind.PRESIGN, wallet, "ks", null,
                NOW + 120_000);
        byte[] sid = new byte[32];
        ChannelInput.Opened o = new ChannelInput.Opened(r, sid, new SignerCall.PresignStart("ks", sid));
        UUID id = r.id();
        ChannelSession.Step s = channel.next(ChannelSession.State.open(), o);
        assertEquals("PRESIGN", ((Frame.Started) ((ChannelAction.Send) s.actions().get(0)).frame()).kind());
        assertEquals(new ChannelAction.CallSigner(id, o.start()), s.actions().get(1));
        ChannelSession.State st = channel.next(s.state(), new ChannelInput.SignerReplied(id,
                new GatewayReply.Continue("h1", new byte[] {1}), NOW)).state();
        st = channel.next(st, frame(new Frame.Msg(id.toString(), 2, new byte[] {2}))).state();

        ChannelSession.Step done = channel.next(st, new ChannelInput.SignerReplied(id,
                new GatewayReply.PresignDone(PRESIG, new byte[] {3}), NOW));
        assertEquals(List.of(new ChannelAction.RecordPresigned(st.sessions().get(id), PRESIG),
                new ChannelAction.Send(new Frame.Msg(id.toString(), 3, new byte[] {3}))), done.actions());
        assertFalse(done.state().sessions().containsKey(id), "S3 ends the session");
    }

    @Test
    void anOnlineWaitsForTheDevicesO1AndHandsItToTheSignerOnceWithThePermit() {
        ChannelInput.Opened o = openedOnline();
        UUID id = o.session().id();
        ChannelSession.Step s = channel.next(ChannelSession.State.open(), o);
        assertEquals(1, s.actions().size(), "announced; no signer call before O1");
        Frame.Started started = (Frame.Started) ((ChannelAction.Send) s.actions().get(0)).frame();
        assertEquals("ONLINE", started.kind());
        assertEquals(o.session().request().id().toString(), started.requestId());
        assertEquals(NOW + 30_000, s.state().sessions().get(id).stepDeadline(), "O1 is due within a step");

        ChannelSession.Step sent = channel.next(s.state(), frame(new Frame.Msg(id.toString(), 1, new byte[] {7})));
        SignerCall.Online call = (SignerCall.Online) ((ChannelAction.CallSigner) sent.actions().get(0)).call();
        assertEquals(PRESIG, call.online().presignatureId());
        assertEquals("ks", call.keysetId());
        assertEquals(7, call.o1()[0]);
        assertEquals(9, call.online().permit()[0]);
        assertNull(sent.state().sessions().get(id).online(), "handed on once");

        // a second O1 finds nothing to hand on: the session ends, nothing goes to the signer
        ChannelSession.Step again = channel.next(sent.state(), frame(new Frame.Msg(id.toString(), 2, new byte[1])));
        assertTrue(again.actions().stream().noneMatch(a -> a instanceof ChannelAction.CallSigner));
        assertEquals("OUT_OF_ORDER", ((ChannelAction.RecordEnd) again.actions().get(0)).code());

        ChannelSession.Step signed = channel.next(sent.state(), new ChannelInput.SignerReplied(id,
                new GatewayReply.Signed(new GatewayReply.Signature(BigInteger.TWO, BigInteger.TEN, 1)), NOW));
        assertInstanceOf(ChannelAction.RecordSignature.class, signed.actions().get(0));
        Frame.SignDone d = (Frame.SignDone) ((ChannelAction.Send) signed.actions().get(1)).frame();
        assertEquals(o.session().request().id().toString(), d.requestId());
        assertFalse(signed.state().sessions().containsKey(id));
    }

    @Test
    void anOnlinesFirstMessageMustBeSeqOneAndAnUnavailablePresignatureSaysSo() {
        ChannelInput.Opened o = openedOnline();
        UUID id = o.session().id();
        ChannelSession.State st = channel.next(ChannelSession.State.open(), o).state();
        ChannelSession.Step wrong = channel.next(st, frame(new Frame.Msg(id.toString(), 2, new byte[1])));
        assertEquals("OUT_OF_ORDER", ((ChannelAction.RecordEnd) wrong.actions().get(0)).code());
        assertTrue(wrong.actions().stream().noneMatch(a -> a instanceof ChannelAction.CallSigner));

        st = channel.next(st, frame(new Frame.Msg(id.toString(), 1, new byte[1]))).state();
        ChannelSession.Step gone = channel.next(st, new ChannelInput.SignerReplied(id, new GatewayReply.Aborted(
                FailureKind.PRESIGNATURE_UNAVAILABLE, "O2: no unused presignature with this id", false), NOW));
        ChannelAction.RecordEnd end = (ChannelAction.RecordEnd) gone.actions().get(0);
        assertEquals("PRESIGNATURE_UNAVAILABLE", end.code());
        assertEquals("PRESIGNATURE_UNAVAILABLE", lastError(gone).code());
        assertTrue(lastError(gone).detail().contains("co-sign with 'sign'"), lastError(gone).detail());

        ChannelSession.Step cont = channel.next(st, new ChannelInput.SignerReplied(id,
                new GatewayReply.Continue("h", new byte[1]), NOW));
        assertEquals("SIGNER_FAILED", ((ChannelAction.RecordEnd) cont.actions().get(0)).code());
    }

    @Test
    void aReplyOfTheWrongKindEndsTheSession() {
        ChannelInput.Opened keygen = opened(SessionKind.KEYGEN);
        ChannelSession.State st = channel.next(ChannelSession.State.open(), keygen).state();
        ChannelSession.Step s = channel.next(st, new ChannelInput.SignerReplied(keygen.session().id(),
                new GatewayReply.PresignDone(PRESIG, new byte[1]), NOW));
        assertEquals("SIGNER_FAILED", ((ChannelAction.RecordEnd) s.actions().get(0)).code());
        RunningSession presign = RunningSession.opened(UUID.randomUUID(), SessionKind.PRESIGN, wallet, "ks", null,
                NOW + 120_000);
        st = channel.next(ChannelSession.State.open(), new ChannelInput.Opened(presign, new byte[32],
                new SignerCall.PresignStart("ks", new byte[32]))).state();
        s = channel.next(st, new ChannelInput.SignerReplied(presign.id(),
                new GatewayReply.Signed(new GatewayReply.Signature(BigInteger.TWO, BigInteger.TEN, 0)), NOW));
        assertEquals("SIGNER_FAILED", ((ChannelAction.RecordEnd) s.actions().get(0)).code());
        assertTrue(s.actions().stream().noneMatch(a -> a instanceof ChannelAction.RecordSignature));
    }

    private ChannelInput.Opened openedOnline() {
        RunningSession r = RunningSession.openedOnline(UUID.randomUUID(), wallet, "ks", request(), NOW + 120_000,
                NOW + 30_000, new RunningSession.Online(PRESIG, new byte[] {9}, new byte[] {8}));
        return new ChannelInput.Opened(r, new byte[32], null);
    }

    // ---- helpers

    private static ChannelInput.FrameText frame(Frame f) {
        return new ChannelInput.FrameText(FrameCodec.encode(f));
    }

    private ChannelInput.Opened opened(SessionKind kind) {
        SignRequest request = kind == SessionKind.SIGN ? request() : null;
        RunningSession r = RunningSession.opened(UUID.randomUUID(), kind, wallet, "ks", request, NOW + 120_000);
        byte[] sid = new byte[32];
        sid[0] = 5;
        return new ChannelInput.Opened(r, sid, new SignerCall.KeygenStart("ks", sid));
    }

    private SignRequest request() {
        EthTransaction tx = new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.ONE, BigInteger.ONE,
                BigInteger.TEN, BigInteger.valueOf(21_000), EthAddress.parse("0x" + "11".repeat(20)),
                BigInteger.valueOf(1000), new byte[0]);
        Instant t = Instant.ofEpochMilli(NOW);
        return new SignRequest(UUID.randomUUID(), wallet, SignRequest.Status.PENDING, tx, tx.signingHash(),
                UUID.randomUUID(), t, t.plusSeconds(600), t, null, null, null, null);
    }

    private static Frame.Error onlyError(ChannelSession.Step s) {
        assertEquals(1, s.actions().size(), s.actions().toString());
        return (Frame.Error) ((ChannelAction.Send) s.actions().get(0)).frame();
    }

    private static Frame.Error lastError(ChannelSession.Step s) {
        return (Frame.Error) ((ChannelAction.Send) s.actions().getLast()).frame();
    }

    private static Frame.Error onlyErrorBefore(ChannelSession.Step s) {
        return (Frame.Error) ((ChannelAction.Send) s.actions().get(s.actions().size() - 2)).frame();
    }
}
