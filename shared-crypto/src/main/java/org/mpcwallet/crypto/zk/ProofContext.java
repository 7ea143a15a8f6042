package org.mpcwallet.crypto.zk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Who proves what, where (checklist row 8, CVE-2022-47930): the protocol id, the 32-byte session id and the prover.
 * Every proof's Fiat-Shamir transcript absorbs these right after its domain tag, so a proof made in one session, by
 * one party or for one protocol never verifies in another. The verifier builds the context from its own session
 * state; it is never read from the proof.
 *
 * @param protocol protocol id, e.g. {@code "mpcwallet/keygen/v1"} (1 to 128 UTF-8 bytes)
 * @param sessionId the session id (exactly 32 bytes; copied in and out)
 * @param prover the party that produces the proof
 */
public record ProofContext(String protocol, byte[] sessionId, Party prover) {
    public static final int SESSION_ID_BYTES = 32;
    public static final int MAX_PROTOCOL_BYTES = 128;

    public ProofContext {
        if (protocol == null || protocol.isEmpty()
                || protocol.getBytes(StandardCharsets.UTF_8).length > MAX_PROTOCOL_BYTES) {
            throw new IllegalArgumentException("protocol id must be 1 to 128 UTF-8 bytes");
        }
        if (sessionId == null || sessionId.length != SESSION_ID_BYTES) {
            throw new IllegalArgumentException("session id must be exactly 32 bytes");
        }
        if (prover == null) {
            throw new IllegalArgumentException("prover party is required");
        }
        sessionId = sessionId.clone();
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** Appends protocol id, session id and prover id to a proof's transcript (in this order). */
    void absorbInto(Transcript t) {
        t.append("protocol", protocol);
        t.append("session-id", sessionId);
        t.append("prover", prover.wireId());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProofContext other && protocol.equals(other.protocol)
                && Arrays.equals(sessionId, other.sessionId) && prover == other.prover;
    }

    @Override
    public int hashCode() {
        return (protocol.hashCode() * 31 + Arrays.hashCode(sessionId)) * 31 + prover.hashCode();
    }

    @Override
    public String toString() {
        return "ProofContext[" + protocol + ", session " + Bytes.toHex(sessionId) + ", prover " + prover + "]";
    }
}
