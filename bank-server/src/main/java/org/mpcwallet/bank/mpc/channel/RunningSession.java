package org.mpcwallet.bank.mpc.channel;

import java.util.UUID;
import org.mpcwallet.bank.mpc.domain.SignRequest;

/**
 * A running session of one connection. No secrets: the signer holds P1's state behind {@code handle}, which is
 * present only while the bank waits for the device's next message.
 *
 * @param request      the sign request (SIGN only)
 * @param lastSeq      the last {@code seq} of the session (the device's next message must carry {@code lastSeq + 1})
 * @param deadline     when the whole session expires (epoch millis)
 * @param stepDeadline when the device's next message is late (epoch millis)
 */
public record RunningSession(UUID id, SessionKind kind, UUID walletId, String keysetId, SignRequest request,
                             String handle, int lastSeq, long deadline, long stepDeadline) {

    /** A session just recorded, before the signer's first step. */
    public static RunningSession opened(UUID id, SessionKind kind, UUID walletId, String keysetId,
                                        SignRequest request, long deadline) {
        return new RunningSession(id, kind, walletId, keysetId, request, null, 0, deadline, deadline);
    }

    /** The device's message {@code seq} went to the signer: no handle until it answers. */
    RunningSession awaitingSigner(int seq) {
        return new RunningSession(id, kind, walletId, keysetId, request, null, seq, deadline, stepDeadline);
    }

    /** The signer answered with its next message ({@code lastSeq + 1}) and the handle for the device's reply. */
    RunningSession continued(String nextHandle, long nextStepDeadline) {
        return new RunningSession(id, kind, walletId, keysetId, request, nextHandle, lastSeq + 1, deadline,
                nextStepDeadline);
    }
}
