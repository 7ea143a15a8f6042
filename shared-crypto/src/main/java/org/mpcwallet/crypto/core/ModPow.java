package org.mpcwallet.crypto.core;

import java.math.BigInteger;

/**
 * Modular exponentiation, the one operation that dominates Paillier and the proofs. Injected so the browser can run
 * it on the engine's native BigInt while the JVM uses {@link BigInteger#modPow}. Implementations must return exactly
 * {@code base^exponent mod modulus} for non-negative exponents and an odd or even positive modulus.
 */
public interface ModPow {
    BigInteger modPow(BigInteger base, BigInteger exponent, BigInteger modulus);

    ModPow JAVA = BigInteger::modPow;
}
