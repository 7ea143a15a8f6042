package org.mpcwallet.signer.spi;

/**
 * Where the signer keeps its own proven ring-Pedersen parameters (public bytes, {@code ProvenRingPedersen.encode()}).
 * One value per signer database; the first writer wins, so instances that start together converge on one set.
 */
public interface RingPedersenRepository {
    /** The stored encoding, or null if none was stored yet. */
    byte[] load();

    /** Stores {@code encoded} unless a value is already stored; returns the value stored afterwards. */
    byte[] saveIfAbsent(byte[] encoded, byte[] fingerprint);
}
