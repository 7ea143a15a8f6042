package org.mpcwallet.signer.spi;

/**
 * The one thing a locked key may still sign (docs/key-rotation.md): transactions paying {@code to}, the address of
 * the wallet that replaces it, at most {@code left} more times. When the last one is taken the keyset is retired
 * ({@code retired}): terminal, nothing decrypts with it again.
 *
 * @param to      lowercase {@code 0x} + 40 hex digits
 * @param left    sweep signatures still allowed
 * @param retired whether the keyset is retired for good
 */
public record SweepAuthorization(String to, int left, boolean retired) {
    public SweepAuthorization {
        if (to == null || !to.matches("0x[0-9a-f]{40}")) {
            throw new IllegalArgumentException("sweep target must be a lowercase 0x address");
        }
        if (left < 0) {
            throw new IllegalArgumentException("sweeps left must not be negative");
        }
    }
}
