package org.mpcwallet.signer;

import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.signer.permit.PermitFailure;

/** The outcome of one {@link BankSigner} signing step. */
public sealed interface SignResult {
    /** Send {@code outbound} to P2 and call {@link BankSigner#signNext} with its reply and {@code session}. */
    record Continue(SignSession session, byte[] outbound) implements SignResult {}

    /** The signature, verified under Q by P1 (docs/protocol.md §5.2 step 7), EIP-2 canonical. */
    record Signed(EcdsaSignature signature) implements SignResult {}

    /** The permit was refused; nothing protocol-related happened. */
    record PermitRefused(PermitFailure failure) implements SignResult {}

    /**
     * The protocol refused or aborted: e.g. KEY_LOCKED, a malformed or unexpected message, a failed proof, or
     * KEY_COMPROMISE_RISK (in which case the {@link LockListener} was told and the key is locked).
     */
    record Aborted(ProtocolFailure failure) implements SignResult {}

    /**
     * A storage failure: either the protocol locked the key ({@code lockCause}, KEY_COMPROMISE_RISK) but the lock
     * could not be stored in the {@code LockRepository} (the in-memory key is locked all the same, and the
     * decryption marker left behind locks it in storage later), or ({@code lockCause} null) the key's state could
     * not be read or the decryption marker not written before round 4, so nothing was decrypted.
     */
    record Failed(SignerFailure failure, ProtocolFailure lockCause) implements SignResult {}
}
