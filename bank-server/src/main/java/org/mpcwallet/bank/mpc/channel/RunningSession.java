package org.mpcwallet.bank.mpc.channel;

import java.util.UUID;
import org.mpcwallet.bank.mpc.domain.SignRequest;

/**
 * A running session of one connection. No secrets: the signer holds P1's state behind {@code handle}, which is
 * present only while the bank waits for the device's next message.
 *
 * @param request      the sign request (SIGN and ONLINE)
 * @param lastSeq      the last {@code seq} of the session (the device's next message must carry {@code lastSeq + 1})
 * @param deadline     when the whole session expires (epoch millis)
 * @param stepDeadline when the device's next message is late (epoch millis)
 * @param online       ONLINE only, until the device's O1 went to the signer: the presignature and the permit
 */
public record RunningSession(UUID id, SessionKind kind, UUID walletId, String keysetId, SignRequest request,
                             String handle, int lastSeq, long deadline, long stepDeadline, Online online) {

    /** What an ONLINE session hands the signer with the device's O1: the presignature's id and the permit. */
    public record Online(String presignatureId, byte[] permit, byte[] permitSignature) {
        public Online {
            permit = permit.clone();
            permitSignature = permitSignature.clone();
        }

        @Override
        public byte[] permit() {
            return permit.clone();
        }

        @Override
        public byte[] permitSignature() {
            return permitSignature.clone();
        }

        @Override
        public String toString() {
            return "Online[" + presignatureId + "]";
        }
    }

    /** A session just recorded, before the signer's first step. */
    public static RunningSession opened(UUID id, SessionKind kind, UUID walletId, String keysetId,
                                        SignRequest request, long deadline) {
        return new RunningSession(id, kind, walletId, keysetId, request, null, 0, deadline, deadline, null);
    }

    /**
     * An ONLINE session just recorded: it waits for the device's O1 (seq 1) within the step deadline, then hands
     * it to the signer with {@code online}.
     */
    public static RunningSession openedOnline(UUID id, UUID walletId, String keysetId, SignRequest request,
                                              long deadline, long stepDeadline, Online online) {
        return new RunningSession(id, SessionKind.ONLINE, walletId, keysetId, request, null, 0, deadline,
                Math.min(deadline, stepDeadline), online);
    }

    /** The device's message {@code seq} went to the signer: no handle until it answers (nor anything to hand on). */
    RunningSession awaitingSigner(int seq) {
        return new RunningSession(id, kind, walletId, keysetId, request, null, seq, deadline, stepDeadline, null);
    }

    /** The signer answered with its next message ({@code lastSeq + 1}) and the handle for the device's reply. */
    RunningSession continued(String nextHandle, long nextStepDeadline) {
        return new RunningSession(id, kind, walletId, keysetId, request, nextHandle, lastSeq + 1, deadline,
                nextStepDeadline, null);
    }
}
