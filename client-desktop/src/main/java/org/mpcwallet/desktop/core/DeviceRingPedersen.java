package org.mpcwallet.desktop.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;
import org.mpcwallet.crypto.zk.RingPedersenSetup;

/**
 * This device's own ring-Pedersen parameters (docs/protocol.md §3.1, docs/zk-proofs.md §8): the bank proves its
 * Paillier key and c_key under them (Π^fac, Π^log*), so the device trusts no number chosen by anybody else. Made once
 * per device data directory (two 1024-bit safe primes and Π^prm, about one to two seconds on the JVM; the primes and
 * λ are dropped right after proving) and kept in {@code <dataDir>/ring-pedersen.bin} (public values only, mode 600,
 * written atomically). A file that does not decode is an error, never silently replaced.
 */
public final class DeviceRingPedersen {
    static final String FILE = "ring-pedersen.bin";
    private static final long MAX_BYTES = 128 * 1024;

    private DeviceRingPedersen() {}

    public static ProvenRingPedersen loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            try {
                return ProvenRingPedersen.decode(SecureFiles.read(file, MAX_BYTES));
            } catch (WalletException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new WalletException("the device's ring-Pedersen parameters in " + file
                        + " do not decode; move the file away to make new ones");
            }
        }
        SecureFiles.privateDirectory(dataDir);
        SecureRandom random = new SecureRandom();
        ProvenRingPedersen made = RingPedersenSetup.generate(random::nextBytes, ModPow.JAVA)
                .prove(random::nextBytes, ModPow.JAVA);
        SecureFiles.writeAtomically(file, made.encode());
        return made;
    }
}
