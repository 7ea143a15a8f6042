package org.mpcwallet.crypto.parity;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenSetup;

/**
 * TEST FIXTURE ONLY: ring-Pedersen parameters over two fixed, published 1024-bit safe primes, so that seeded runs
 * (the golden transcripts, the browser parity gate, unit tests) need no safe-prime search. Anyone reading this file
 * knows the factors, so whoever can make a bank use these parameters can forge P2's signing proof to it: production
 * code generates its own ({@link RingPedersenSetup#generate}) and never refers to this class. It lives with the
 * other parity tooling and moves with it into test code.
 */
public final class TestRingPedersen {
    static final BigInteger P = new BigInteger(
            "eda9787a04920383e0e835e5de553ff2652c7497c79f416a2e00329bcea61219b6cbc7066b674443c03ab6f5d4362bf58d6d192c"
            + "b0cfdb1aede04147c12ddf1c7ac16f02e467016a929b4295d9f6317126fc1ede61be018240e9a71f75f6c60d7a6779933e8d6a"
            + "76d2fc424a1cfb27e1a0a1451bc2879313a301fce632c5a36f", 16);
    static final BigInteger Q = new BigInteger(
            "cd8b4e94eebb733fafe03b5c110249002756345cb723fc58f3b62debc5a428897819bfb3805fee5d1397f842565ab53b2e066b69"
            + "1913eda888ab0288e9903b20263ad35adbd86428d41a51e490b7683e5e43af10e165555c65c46968a6069b0ac9b90386f348e1"
            + "c836271072dce0c55458142365e77540b5b4bdabbd3c2ef5fb", 16);

    private TestRingPedersen() {}

    /** The setup (secret side) over the fixed primes, with s and t from a seeded source. */
    public static RingPedersenSetup setup(String label, ModPow mp) {
        return RingPedersenSetup.fromSafePrimes(P, Q, DeterministicRandom.fromLabel("test-ring-pedersen/" + label), mp);
    }

    /** The public parameters with their Π^prm proof, all seeded (the same bytes on every platform). */
    public static ProvenRingPedersen proven(String label, ModPow mp) {
        return setup(label, mp).prove(DeterministicRandom.fromLabel("test-ring-pedersen/proof/" + label), mp);
    }
}
