package org.mpcwallet.signer.gateway;

import java.math.BigInteger;
import java.util.Objects;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.signer.permit.PermitFailureKind;

/**
 * One answer of the {@link SignerGateway}: continue with a handle, a finished keyset, presignature or signature, or
 * one of three failures. Callers switch over the type; the JSON form ({@link GatewayJson}) names the same cases with
 * a status string (CONTINUE, DONE, ABORTED, PERMIT_REFUSED, FAILED) and the failure kind's name.
 */
public sealed interface GatewayReply {

    /**
     * Relay {@code outbound} (the signer's message) to the device and pass {@code handle} to the next
     * {@link SignerGateway#next}.
     */
    record Continue(String handle, byte[] outbound) implements GatewayReply {
        public Continue {
            require(handle != null && outbound != null, "CONTINUE needs a handle and a message");
            outbound = outbound.clone();
        }

        @Override
        public byte[] outbound() {
            return outbound.clone();
        }

        @Override
        public String toString() {
            return "GatewayReply[CONTINUE]";
        }
    }

    /**
     * A keygen or refresh finished (or a sweep was authorized): the keyset the share was stored for, and the
     * signer's last message K5/R5 to relay to the device, or null.
     */
    record KeysetDone(GatewayKeyset keyset, byte[] lastMessage) implements GatewayReply {
        public KeysetDone {
            require(keyset != null, "DONE needs a keyset or a signature");
            lastMessage = lastMessage == null ? null : lastMessage.clone();
        }

        @Override
        public byte[] lastMessage() {
            return lastMessage == null ? null : lastMessage.clone();
        }

        @Override
        public String toString() {
            return "GatewayReply[DONE]";
        }
    }

    /**
     * A presign finished: the signer sealed and stored its half under {@code presignatureId} (64 lowercase hex) and
     * released its last message S3, to relay to the device.
     */
    record PresignDone(String presignatureId, byte[] lastMessage) implements GatewayReply {
        public PresignDone {
            require(presignatureId != null && presignatureId.matches("[0-9a-f]{64}") && lastMessage != null,
                    "a presign's DONE needs a presignature id (64 lowercase hex) and the last message");
            lastMessage = lastMessage.clone();
        }

        @Override
        public byte[] lastMessage() {
            return lastMessage.clone();
        }

        @Override
        public String toString() {
            return "GatewayReply[DONE presignature]";
        }
    }

    /** A SIGN or an online signing finished: the signature, verified under Q by the signer, low-s, with recovery id. */
    record Signed(Signature signature) implements GatewayReply {
        public Signed {
            require(signature != null, "DONE needs a keyset or a signature");
        }

        @Override
        public String toString() {
            return "GatewayReply[DONE]";
        }
    }

    /** A failed step: its kind's wire name, a human-readable reason (no secrets), and whether it locked the key. */
    sealed interface Failure extends GatewayReply permits Aborted, PermitRefused, Failed {
        /** The kind's name, as on the wire and in records. */
        String kindName();

        String reason();

        /** True when this failure locked the key (KEY_COMPROMISE_RISK): the lock is stored. */
        boolean keyLocked();
    }

    /** The protocol refused or aborted ({@code reason} starts with the step). */
    record Aborted(FailureKind kind, String reason, boolean keyLocked) implements Failure {
        public Aborted {
            require(kind != null && reason != null, "ABORTED needs a failure kind and reason");
        }

        @Override
        public String kindName() {
            return kind.name();
        }

        @Override
        public String toString() {
            return describe("ABORTED", this);
        }
    }

    /** The permit was refused; nothing protocol-related happened. */
    record PermitRefused(PermitFailureKind kind, String reason) implements Failure {
        public PermitRefused {
            require(kind != null && reason != null, "PERMIT_REFUSED needs a failure kind and reason");
        }

        @Override
        public String kindName() {
            return kind.name();
        }

        @Override
        public boolean keyLocked() {
            return false;
        }

        @Override
        public String toString() {
            return describe("PERMIT_REFUSED", this);
        }
    }

    /**
     * A signer or gateway failure; {@code keyLocked} when the protocol locked the key but the signer could not store
     * the lock (the key is locked in the signer's memory all the same).
     */
    record Failed(GatewayFailureKind kind, String reason, boolean keyLocked) implements Failure {
        public Failed {
            require(kind != null && reason != null, "FAILED needs a failure kind and reason");
        }

        @Override
        public String kindName() {
            return kind.name();
        }

        @Override
        public String toString() {
            return describe("FAILED", this);
        }
    }

    /** An ECDSA signature (r, s, recovery id 0/1). */
    record Signature(BigInteger r, BigInteger s, int recoveryId) {
        public Signature {
            Objects.requireNonNull(r, "r");
            Objects.requireNonNull(s, "s");
            if (recoveryId < 0 || recoveryId > 1) {
                throw new IllegalArgumentException("recovery id must be 0 or 1");
            }
        }
    }

    private static String describe(String status, Failure f) {
        return "GatewayReply[" + status + " " + f.kindName() + ": " + f.reason() + (f.keyLocked() ? ", key locked" : "")
                + "]";
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
