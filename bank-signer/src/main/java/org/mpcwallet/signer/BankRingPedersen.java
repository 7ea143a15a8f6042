package org.mpcwallet.signer;

import java.security.SecureRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenSetup;
import org.mpcwallet.signer.spi.RingPedersenRepository;

/**
 * The signer's own ring-Pedersen parameters (docs/protocol.md §4 K3, docs/zk-proofs.md §8): read from the signer's
 * storage, or, on the first start, generated (two 1024-bit safe primes, about a second on the JVM), proven with
 * Π^prm and stored; the secret side (the primes, λ) is then dropped, since verifying P2's proofs needs only the
 * public values. Never a fixed or shipped parameter set: whoever knew the factors could forge P2's proofs.
 */
public final class BankRingPedersen {
    private static final System.Logger LOG = System.getLogger(BankRingPedersen.class.getName());

    private BankRingPedersen() {}

    public static ProvenRingPedersen loadOrCreate(RingPedersenRepository repository, SecureRandom random) {
        byte[] stored = repository.load();
        if (stored == null) {
            long t0 = System.nanoTime();
            RingPedersenSetup setup = RingPedersenSetup.generate(random::nextBytes, ModPow.JAVA);
            ProvenRingPedersen fresh = setup.prove(random::nextBytes, ModPow.JAVA);
            stored = repository.saveIfAbsent(fresh.encode(), fresh.fingerprint());
            LOG.log(System.Logger.Level.INFO, "signer: generated its ring-Pedersen parameters in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
        return ProvenRingPedersen.decode(stored);
    }
}
