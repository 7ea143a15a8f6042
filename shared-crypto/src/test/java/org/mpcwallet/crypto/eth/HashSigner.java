package org.mpcwallet.crypto.eth;

import org.mpcwallet.crypto.ec.EcdsaSignature;

/**
 * The signing step of the transaction tests: a 32-byte message hash in, a low-s ECDSA signature with its recovery id
 * out. Today {@link Web3jSigner} implements it with a single key; a two-party (2PC) signer can be plugged in
 * instead without touching the encoding or on-chain tests.
 */
@FunctionalInterface
public interface HashSigner {
    EcdsaSignature sign(byte[] hash32);
}
