package org.mpcwallet.crypto.protocol.sign;

import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.ProtocolId;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.Steps;

/**
 * P1's presign state machine (docs/protocol.md §5.1): S1 → (S2) → S3, result a {@link P1Presignature} for the pool.
 * Use it through {@link P1KeyHolder}, which refuses a locked key.
 */
public final class PresignP1 {
    private PresignP1() {}

    /** After S1: waiting for P2's nonce. */
    public record AwaitingNonce(byte[] sid, byte[] keyFingerprint, S1P1Commit.Output mine) {
        @Override
        public String toString() {
            return "PresignP1.AwaitingNonce[secret redacted]";
        }
    }

    static Step<AwaitingNonce, P1Presignature> start(P1KeyShare share, byte[] sid, Env env) {
        return Steps.guard("S1", null, () -> {
            S1P1Commit.Output mine = S1P1Commit.apply(ProtocolId.PRESIGN, sid, env);
            return new Step.Continue<>(new AwaitingNonce(sid.clone(), share.fingerprint(), mine), mine.outbound());
        });
    }

    static Step<AwaitingNonce, P1Presignature> next(AwaitingNonce s, byte[] inbound) {
        return Steps.guard("S3", Party.P2, () -> {
            byte[] body = Envelope.decode(inbound).expect(ProtocolId.PRESIGN, s.sid(), 2, Party.P2, "S3");
            S3P1Reveal.Output out = S3P1Reveal.apply(ProtocolId.PRESIGN, s.sid(), s.mine(), s.keyFingerprint(), body);
            return new Step.Done<>(out.presignature(), out.outbound());
        });
    }
}
