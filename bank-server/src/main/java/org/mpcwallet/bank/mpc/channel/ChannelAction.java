package org.mpcwallet.bank.mpc.channel;

import java.util.UUID;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.signer.gateway.GatewayReply;

/**
 * What a transition asks the runner to do, in order. The runner performs them one after the other; when a
 * {@link #required()} action fails it drops the rest of the list and answers {@link ChannelInput.Failed} (or, for
 * {@link OpenSession}, {@link ChannelInput.StartRefused}). The others are best effort: their failure is logged.
 */
public sealed interface ChannelAction {

    /** WebSocket close codes (RFC 6455 §7.4.1) the channel uses. */
    int CLOSE_GOING_AWAY = 1001;
    int CLOSE_POLICY_VIOLATION = 1008;

    default boolean required() {
        return true;
    }

    /** Send a frame to the device. */
    record Send(Frame.FromBank frame) implements ChannelAction {
        @Override
        public boolean required() {
            return false;
        }
    }

    /**
     * Check and record a new session for a {@code keygen}, {@code sign}, {@code refresh}, {@code presign} or
     * {@code online} frame (roles, wallet and
     * request state, caps, the permit); answered by {@link ChannelInput.Opened} or {@link ChannelInput.StartRefused}.
     */
    record OpenSession(Frame.FromDevice request) implements ChannelAction {
    }

    /** Call the signer; answered by {@link ChannelInput.SignerReplied}. */
    record CallSigner(UUID session, SignerCall call) implements ChannelAction {
    }

    /** The session's {@code seq} advanced (the row's progress, which tells a live session from a dead one). */
    record RecordStep(UUID session, int seq) implements ChannelAction {
    }

    /** Keygen finished: the wallet is ACTIVE with the public key and address; the session COMPLETED; audited. */
    record RecordKeygen(RunningSession session, byte[] publicKey, String address) implements ChannelAction {
        public RecordKeygen {
            publicKey = publicKey.clone();
        }
    }

    /** Refresh finished at {@code epoch}: the authorization used, the key's incidents resolved; audited. */
    record RecordRefreshed(RunningSession session, long epoch) implements ChannelAction {
    }

    /** Signing finished: the sign request SIGNED with the signature and signed transaction; audited. */
    record RecordSignature(RunningSession session, GatewayReply.Signature signature, byte[] rawTransaction,
                           byte[] txHash) implements ChannelAction {
        public RecordSignature {
            rawTransaction = rawTransaction.clone();
            txHash = txHash.clone();
        }
    }

    /** A presignature made: the session COMPLETED; audited with the presignature's id (no secret). */
    record RecordPresigned(RunningSession session, String presignatureId) implements ChannelAction {
    }

    /** The signer refused the permit: audited (the session then ends). */
    record RecordPermitRefused(RunningSession session, String kind, String reason) implements ChannelAction {
    }

    /** The key is locked: the sign request FAILED, an incident opened once; audited (the session then ends). */
    record RecordKeyLocked(RunningSession session, String failure, String reason) implements ChannelAction {
    }

    /** Give up the signer's half of a session. */
    record AbandonSigner(UUID session, String handle) implements ChannelAction {
        @Override
        public boolean required() {
            return false;
        }
    }

    /** Record a session's end ({@code status} FAILED or EXPIRED): row, keygen wallet FAILED, audit. */
    record RecordEnd(RunningSession session, String status, String code, String detail) implements ChannelAction {
        @Override
        public boolean required() {
            return false;
        }
    }

    /** Close the connection. */
    record Close(int code, String reason) implements ChannelAction {
        @Override
        public boolean required() {
            return false;
        }
    }
}
