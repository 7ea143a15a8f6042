package org.mpcwallet.signer;

import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.signer.spi.SweepAuthorization;

/**
 * Public facts about a loaded keyset: its id, share epoch, joint public key Q, whether it is locked and, for a locked
 * key being rotated, its sweep authorization (null otherwise; docs/key-rotation.md).
 */
public record KeysetInfo(String keysetId, int epoch, Point publicKey, boolean locked, SweepAuthorization sweep) {
    public KeysetInfo(String keysetId, int epoch, Point publicKey, boolean locked) {
        this(keysetId, epoch, publicKey, locked, null);
    }

    /** Retired for good: its sweep is done, nothing decrypts with it again. */
    public boolean retired() {
        return sweep != null && sweep.retired();
    }
}
