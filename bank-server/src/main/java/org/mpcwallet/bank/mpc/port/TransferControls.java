package org.mpcwallet.bank.mpc.port;

import java.util.List;
import java.util.UUID;
import org.mpcwallet.signer.permit.SigningPermit;

/**
 * What the channel asks the custody pipeline before a signing permit is issued (docs/redesign.md step 3): the
 * controls a transfer passed (its KYT, policy and approval results go into the permit's snapshot), and whether a
 * sign request is a locked key's sweep. Implemented by the pipeline; read in the caller's transaction so the
 * snapshot and the permit agree.
 */
public interface TransferControls {

    /** The controls of the transfer a sign request belongs to. */
    sealed interface Answer {
        /** The sign request is not a transfer's (a direct sign request). */
        record NotATransfer() implements Answer {
        }

        /** The transfer waits for exactly this sign request; its controls, in order. */
        record Ready(List<SigningPermit.Control> controls) implements Answer {
            public Ready {
                controls = List.copyOf(controls);
            }
        }

        /** The transfer does not wait for this sign request (its state, in words). */
        record WrongState(String detail) implements Answer {
        }
    }

    Answer forSignRequest(UUID signRequestId);

    /** Whether the sign request signs the sweep of a locked key's wallet (the one signature a locked key makes). */
    boolean isSweep(UUID signRequestId);
}
