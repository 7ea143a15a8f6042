package org.mpcwallet.signer.permit;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * The orchestrator's side (bank-server): signs permits with its Ed25519 private key over
 * {@code "mpcwallet/permit/v1" || permit.encode()}. bank-signer itself never holds one of these.
 */
public final class PermitSigner {
    private final PrivateKey privateKey;

    public PermitSigner(PrivateKey ed25519PrivateKey) {
        PermitKeys.requireEd25519(ed25519PrivateKey);
        this.privateKey = ed25519PrivateKey;
    }

    /** The 64-byte Ed25519 signature of the permit's canonical encoding. */
    public byte[] sign(SigningPermit permit) {
        return signEncoding(permit.encode());
    }

    /** Signs an encoding as given (the verifier still decodes it strictly); for tests of malformed permits. */
    public byte[] signEncoding(byte[] encoding) {
        try {
            Signature s = Signature.getInstance(PermitKeys.ALGORITHM);
            s.initSign(privateKey);
            s.update(PermitKeys.signedMessage(encoding));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "PermitSigner[Ed25519, secret redacted]";
    }
}
