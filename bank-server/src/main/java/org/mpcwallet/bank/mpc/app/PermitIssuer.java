package org.mpcwallet.bank.mpc.app;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.SigningPermit;

/**
 * The orchestrator's permit mint (docs/bank-design.md "Signing permits"): binds request, wallet, keyset, the
 * canonical transaction, a ≤ 60 s window, a fresh 16-byte nonce, the controls that passed and the audit head, and
 * signs it with the Ed25519 key only bank-server holds.
 */
@Singleton
public class PermitIssuer {
    public static final long LIFETIME_MILLIS = 60_000;

    /** A permit and its Ed25519 signature. */
    public record Issued(SigningPermit permit, byte[] encoded, byte[] signature) {
    }

    private final PermitSigner signer;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public PermitIssuer(SignerKeys keys) {
        this(new PermitSigner(keys.permitPrivateKey()), Clock.systemUTC());
    }

    PermitIssuer(PermitSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    public Issued issue(String requestId, String walletId, String keysetId, EthTransaction tx,
            List<SigningPermit.Control> controls, byte[] auditHead) {
        byte[] nonce = new byte[SigningPermit.NONCE_BYTES];
        random.nextBytes(nonce);
        long now = clock.millis();
        SigningPermit permit = SigningPermit.forTransaction(requestId, walletId, keysetId, tx, now,
                now + LIFETIME_MILLIS, nonce, controls, auditHead);
        byte[] encoded = permit.encode();
        return new Issued(permit, encoded, signer.signEncoding(encoded));
    }
}
