package org.mpcwallet.signer.permit;

/**
 * A permit that passed every check of {@link PermitVerifier#verify} and whose nonce is now consumed. Only the
 * verifier can make one, so holding one is the proof that signing was authorised (a precondition as a type).
 */
public final class VerifiedPermit {
    private final SigningPermit permit;

    VerifiedPermit(SigningPermit permit) {
        this.permit = permit;
    }

    public SigningPermit permit() {
        return permit;
    }

    /** The 32-byte message hash to sign: Keccak-256 of the permit's transaction, recomputed by the verifier. */
    public byte[] signingHash() {
        return permit.signingHash();
    }

    @Override
    public String toString() {
        return "VerifiedPermit[" + permit + "]";
    }
}
