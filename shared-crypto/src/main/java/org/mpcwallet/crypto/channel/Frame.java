package org.mpcwallet.crypto.channel;

import java.util.Arrays;

/**
 * The frames of the MPC channel (docs/mpc-channel.md), one record per type and direction, shared by the bank, the
 * desktop and the browser. {@link FrameCodec} reads and writes them; the records hold the values as they go on the
 * wire (ids as strings, hashes as lowercase hex, the payload as bytes) after the codec checked their shape.
 */
public sealed interface Frame {

    /** A frame the device sends. */
    sealed interface FromDevice extends Frame {
    }

    /** A frame the bank sends. */
    sealed interface FromBank extends Frame {
    }

    /** Start keygen for a wallet in PENDING_KEYGEN. */
    record Keygen(String walletId) implements FromDevice {
    }

    /** Co-sign a PENDING sign request; {@code shareEpoch} may be null (older clients). */
    record Sign(String requestId, String signingHash, Integer shareEpoch) implements FromDevice {
    }

    /** Make one presignature for an ACTIVE wallet the caller OWNs (docs/presign-online.md). */
    record Presign(String walletId) implements FromDevice {
    }

    /**
     * Co-sign a PENDING sign request with the presignature {@code presignatureId} (64 hex): the checks of
     * {@link Sign}, then one message (O1) in the session the bank opens; {@code shareEpoch} may be null.
     */
    record Online(String requestId, String signingHash, Integer shareEpoch, String presignatureId)
            implements FromDevice {
    }

    /** Join an ADMIN-authorized refresh. */
    record Refresh(String walletId) implements FromDevice {
    }

    /** Give up a session. */
    record Cancel(String session) implements FromDevice {
    }

    /** Keep an idle connection open. */
    record Ping() implements FromDevice {
    }

    /** A protocol message of a session, in either direction. */
    record Msg(String session, long seq, byte[] payload) implements FromDevice, FromBank {
        public Msg {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Msg m && m.session.equals(session) && m.seq == seq && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return session.hashCode() * 31 + Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return "Msg[" + session + ", seq " + seq + ", " + payload.length + " bytes]";
        }
    }

    /**
     * A session exists: its kind ({@code KEYGEN}, {@code SIGN}, {@code REFRESH}, {@code PRESIGN}, {@code ONLINE}) and
     * protocol session id; {@code requestId} for SIGN and ONLINE.
     */
    record Started(String session, String kind, String sid, String walletId, String requestId) implements FromBank {
    }

    /** Keygen succeeded: the wallet is ACTIVE. */
    record KeygenDone(String session, String walletId, String publicKey, String address) implements FromBank {
    }

    /** Signing succeeded. */
    record SignDone(String session, String requestId, String r, String s, int v, String rawTransaction,
                    String txHash) implements FromBank {
    }

    /** A refresh succeeded: the key's new epoch. */
    record RefreshDone(String session, String walletId, String publicKey, long epoch) implements FromBank {
    }

    /** A session (or, with a null session, the frame) failed. */
    record Error(String session, String code, String detail) implements FromBank {
    }

    /** The answer to {@link Ping}. */
    record Pong() implements FromBank {
    }

    /** A transaction request waits for this device's co-signature (outside any session). */
    record Cosign(String txRequestId, String requestId, String walletId) implements FromBank {
    }
}
