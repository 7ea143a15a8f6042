package org.mpcwallet.crypto.protocol;

import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.core.WireWriter;

/**
 * The message envelope of docs/protocol.md §2.1: protocol, version, session id, round, sender, body. Immutable;
 * byte arrays are copied in and out.
 */
public final class Envelope {
    public static final int VERSION = 1;
    public static final int SESSION_ID_BYTES = 32;
    /** Upper bound on a body (the largest, K3/R3, is ~50 KB). */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final ProtocolId protocol;
    private final byte[] sessionId;
    private final int round;
    private final Party sender;
    private final byte[] body;

    public Envelope(ProtocolId protocol, byte[] sessionId, int round, Party sender, byte[] body) {
        if (protocol == null || sender == null || body == null) {
            throw new IllegalArgumentException("envelope fields must be present");
        }
        if (sessionId == null || sessionId.length != SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        if (round < 1 || round > 255 || body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("round or body size out of range");
        }
        this.protocol = protocol;
        this.sessionId = sessionId.clone();
        this.round = round;
        this.sender = sender;
        this.body = body.clone();
    }

    public byte[] encode() {
        return new WireWriter().u8(protocol.wireId()).u8(VERSION).raw(sessionId).u8(round).u8(sender.wireId())
                .bytes(body).toByteArray();
    }

    /** Strict decoding of one whole envelope. */
    public static Envelope decode(byte[] data) {
        if (data == null) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "envelope", null, "no message");
        }
        WireReader r = new WireReader(data, "envelope");
        ProtocolId protocol = ProtocolId.fromWire(r.u8("protocol"));
        int version = r.u8("version");
        if (version != VERSION) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "envelope", null,
                    "unsupported message version " + version);
        }
        byte[] sid = r.raw(SESSION_ID_BYTES, "session id");
        int round = r.u8("round");
        Party sender = Party.fromWire(r.u8("sender"));
        byte[] body = r.bytes("body", MAX_BODY_BYTES);
        r.end();
        if (round < 1) {
            throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "envelope", null, "round 0 does not exist");
        }
        return new Envelope(protocol, sid, round, sender, body);
    }

    /**
     * Checks this envelope is exactly the one a state machine waits for; anything else (other protocol, session,
     * round or sender: replays, duplicates, reordering) is UNEXPECTED_MESSAGE.
     */
    public byte[] expect(ProtocolId p, byte[] sid, int expectedRound, Party expectedSender, String step) {
        if (protocol != p) {
            throw unexpected(step, "message belongs to protocol " + protocol.label());
        }
        if (!Arrays.equals(sessionId, sid)) {
            throw unexpected(step, "message belongs to another session");
        }
        if (sender != expectedSender) {
            throw unexpected(step, "message sent by " + sender + ", expected " + expectedSender);
        }
        if (round != expectedRound) {
            throw unexpected(step, "message is round " + round + ", expected round " + expectedRound);
        }
        return body.clone();
    }

    private ProtocolException unexpected(String step, String reason) {
        return new ProtocolException(FailureKind.UNEXPECTED_MESSAGE, step, null, reason);
    }

    public ProtocolId protocol() {
        return protocol;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public int round() {
        return round;
    }

    public Party sender() {
        return sender;
    }

    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "Envelope[" + protocol.label() + " sid=" + Bytes.toHex(sessionId).substring(0, 8) + "… round=" + round
                + " from " + sender + ", " + body.length + " body bytes]";
    }
}
