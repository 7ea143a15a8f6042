package org.mpcwallet.crypto.protocol.sign;

/**
 * P1's states of the 4-message signing flow (docs/protocol.md §5.3): S1 → (S2) → S3 → (round 4 = O1) → signature.
 * Driven by {@link P1KeyHolder}, which applies the key lock.
 */
public final class SignP1 {
    private SignP1() {}

    /** P1's sign states. */
    public sealed interface State permits AwaitingNonce, AwaitingCiphertext {}

    /** After S1. */
    public record AwaitingNonce(byte[] sid, byte[] messageHash, PresignP1.AwaitingNonce presign) implements State {
        @Override
        public String toString() {
            return "SignP1.AwaitingNonce[secret redacted]";
        }
    }

    /** After S3: this session's presignature, consumed by round 4. */
    public record AwaitingCiphertext(byte[] sid, byte[] messageHash, P1Presignature presignature)
            implements State {
        @Override
        public String toString() {
            return "SignP1.AwaitingCiphertext[secret redacted]";
        }
    }
}
