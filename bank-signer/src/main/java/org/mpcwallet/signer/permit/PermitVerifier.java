package org.mpcwallet.signer.permit;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Arrays;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.hash.Keccak256;

/**
 * bank-signer's permit check (docs/bank-design.md "Signing permits"). Holds only the orchestrator's Ed25519 public
 * key, a clock and a {@link NonceLedger}. {@link #verify} runs, in this order, and stops at the first failure:
 * <ol>
 *   <li>strict decoding ({@code MALFORMED});</li>
 *   <li>Ed25519 over {@code "mpcwallet/permit/v1" || permitBytes} ({@code BAD_SIGNATURE});</li>
 *   <li>0 &lt; expiresAt − issuedAt ≤ 60 s ({@code INVALID_LIFETIME}, {@code LIFETIME_TOO_LONG});</li>
 *   <li>now &lt; expiresAt ({@code EXPIRED}) and issuedAt ≤ now + 5 s ({@code NOT_YET_VALID});</li>
 *   <li>keyset id = the session's ({@code WRONG_KEYSET});</li>
 *   <li>signing hash = Keccak-256(signing payload) recomputed here ({@code HASH_MISMATCH}), and the payload is a
 *       valid canonical EIP-1559 or EIP-155 transaction ({@code INVALID_TRANSACTION});</li>
 *   <li>the nonce is consumed in the ledger, last, so that a refused permit does not burn it ({@code REPLAYED}).</li>
 * </ol>
 * Thread-safe if the ledger is.
 */
public final class PermitVerifier {
    public static final long MAX_LIFETIME_MILLIS = 60_000;
    public static final long MAX_CLOCK_SKEW_MILLIS = 5_000;

    private final PublicKey publicKey;
    private final Clock clock;
    private final NonceLedger ledger;

    public PermitVerifier(PublicKey orchestratorKey, Clock clock, NonceLedger ledger) {
        PermitKeys.requireEd25519(orchestratorKey);
        if (clock == null || ledger == null) {
            throw new IllegalArgumentException("clock and nonce ledger are required");
        }
        this.publicKey = orchestratorKey;
        this.clock = clock;
        this.ledger = ledger;
    }

    public Result<VerifiedPermit, PermitFailure> verify(byte[] permitBytes, byte[] signature, String expectedKeysetId) {
        if (expectedKeysetId == null) {
            throw new IllegalArgumentException("expected keyset id is required");
        }
        SigningPermit p;
        try {
            p = SigningPermit.decode(permitBytes);
        } catch (IllegalArgumentException e) {
            return refused(PermitFailureKind.MALFORMED, "permit: " + e.getMessage());
        }
        if (signature == null || signature.length != PermitKeys.SIGNATURE_BYTES || !signatureValid(permitBytes,
                signature)) {
            return refused(PermitFailureKind.BAD_SIGNATURE,
                    "the permit signature does not verify under the orchestrator key");
        }
        long lifetime = p.expiresAt() - p.issuedAt();
        if (lifetime <= 0) {
            return refused(PermitFailureKind.INVALID_LIFETIME, "expiresAt is not after issuedAt");
        }
        if (lifetime > MAX_LIFETIME_MILLIS) {
            return refused(PermitFailureKind.LIFETIME_TOO_LONG,
                    "permit lifetime " + lifetime + " ms exceeds " + MAX_LIFETIME_MILLIS + " ms");
        }
        long now = clock.millis();
        if (now >= p.expiresAt()) {
            return refused(PermitFailureKind.EXPIRED,
                    "permit expired at " + p.expiresAt() + ", now " + now);
        }
        if (p.issuedAt() > now + MAX_CLOCK_SKEW_MILLIS) {
            return refused(PermitFailureKind.NOT_YET_VALID,
                    "permit issued at " + p.issuedAt() + ", more than " + MAX_CLOCK_SKEW_MILLIS
                            + " ms after now " + now);
        }
        if (!p.keysetId().equals(expectedKeysetId)) {
            return refused(PermitFailureKind.WRONG_KEYSET,
                    "permit is for keyset " + p.keysetId() + ", not " + expectedKeysetId);
        }
        byte[] payload = p.signingPayload();
        if (!MessageDigest.isEqual(Keccak256.hash(payload), p.signingHash())) {
            return refused(PermitFailureKind.HASH_MISMATCH,
                    "signing hash is not Keccak-256 of the signing payload");
        }
        try {
            EthTransaction tx = EthTransaction.decodeSigningPayload(payload);
            if (!Arrays.equals(tx.signingPayload(), payload)) {
                return refused(PermitFailureKind.INVALID_TRANSACTION,
                        "signing payload is not a canonical " + tx.type() + " encoding");
            }
        } catch (RuntimeException e) {
            return refused(PermitFailureKind.INVALID_TRANSACTION,
                    "signing payload is not a valid EIP-1559 or EIP-155 transaction");
        }
        if (!ledger.consume(p.nonce(), p.expiresAt())) {
            return refused(PermitFailureKind.REPLAYED, "permit nonce was already used");
        }
        return Result.ok(new VerifiedPermit(p));
    }

    private boolean signatureValid(byte[] encoding, byte[] signature) {
        try {
            Signature s = Signature.getInstance(PermitKeys.ALGORITHM);
            s.initVerify(publicKey);
            s.update(PermitKeys.signedMessage(encoding));
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Result<VerifiedPermit, PermitFailure> refused(PermitFailureKind kind, String reason) {
        return Result.err(new PermitFailure(kind, reason));
    }
}
