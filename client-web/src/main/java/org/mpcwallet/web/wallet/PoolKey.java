package org.mpcwallet.web.wallet;

import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * A wallet's presignature pool key (docs/vault-format.md section 13) while an operation holds the share: it seals
 * the presignatures the device makes and opens the one a co-signing uses. It comes out of the same key derivation
 * that opened or sealed the share's envelope (in the browser a non-extractable WebCrypto key), and is dropped with
 * the share when the operation ends.
 */
public interface PoolKey {
    /** One record (PresignatureRecords' format) holding {@code presignature}. */
    byte[] seal(String walletId, P2Presignature presignature);

    /** The presignature in {@code record}, or why it does not open (another wallet or key, tampered, malformed). */
    Result<P2Presignature, VaultFailure> open(byte[] record, String walletId, byte[] keyFingerprint);
}
