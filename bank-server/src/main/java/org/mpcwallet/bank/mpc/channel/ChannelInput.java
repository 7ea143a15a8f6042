package org.mpcwallet.bank.mpc.channel;

import org.mpcwallet.signer.gateway.GatewayReply;

/** What happens to a connection: a frame, the answer to an action, time passing, the connection ending. */
public sealed interface ChannelInput {

    /** A text frame from the device, as received. */
    record FrameText(String text) implements ChannelInput {
    }

    /**
     * The runner recorded a new session (answer to {@link ChannelAction.OpenSession}); {@code start} is P1's first
     * call, or null for an ONLINE session (the signer is called once, with the device's O1).
     */
    record Opened(RunningSession session, byte[] sid, SignerCall start) implements ChannelInput {
        public Opened {
            sid = sid.clone();
            if ((start == null) != (session.kind() == SessionKind.ONLINE)) {
                throw new IllegalArgumentException("an ONLINE session starts with the device's message, any other "
                        + "with the signer's");
            }
        }
    }

    /** The runner refused to open a session (answer to {@link ChannelAction.OpenSession}): no session exists. */
    record StartRefused(String code, String detail) implements ChannelInput {
    }

    /** The signer answered a {@link ChannelAction.CallSigner} at {@code now} (epoch millis). */
    record SignerReplied(java.util.UUID session, GatewayReply reply, long now) implements ChannelInput {
    }

    /** A required action for {@code session} failed ({@code code} TIMEOUT, INTERNAL, …): the session ends. */
    record Failed(RunningSession session, String code, String detail) implements ChannelInput {
    }

    /** Time passed: {@code now} and when the connection's last frame arrived (epoch millis). */
    record Tick(long now, long lastFrameAt) implements ChannelInput {
    }

    /** The connection must end (access revoked, flooding): sessions end, the device is told, it is closed. */
    record CutOff(int closeCode, String code, String detail, String reason) implements ChannelInput {
    }

    /** The connection is gone. */
    record Closed() implements ChannelInput {
    }
}
