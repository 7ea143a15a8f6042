package org.mpcwallet.crypto.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.parity.TestRingPedersen;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/** Seeded environments and one honest keygen per seed (a 2048-bit Paillier key costs ~0.1-0.5 s). */
public final class Fixtures {
    private Fixtures() {}

    /** The bank's ring-Pedersen parameters every test keygen uses (fixed safe primes; made once per JVM). */
    public static ProvenRingPedersen bankParams() {
        return BankParams.PROVEN;
    }

    private static final class BankParams {
        static final ProvenRingPedersen PROVEN = TestRingPedersen.proven("tests", ModPow.JAVA);
    }

    /** The device's ring-Pedersen parameters every test keygen and refresh uses (fixture, made once per JVM). */
    public static ProvenRingPedersen deviceParams() {
        return DeviceParams.PROVEN;
    }

    /** The device's parameters as P1 holds them after Π^prm. */
    public static org.mpcwallet.crypto.zk.VerifiedRingPedersen deviceVerified() {
        return DeviceParams.VERIFIED;
    }

    private static final class DeviceParams {
        static final ProvenRingPedersen PROVEN = TestRingPedersen.proven("tests-device", ModPow.JAVA);
        static final org.mpcwallet.crypto.zk.VerifiedRingPedersen VERIFIED = PROVEN.verify(
                new org.mpcwallet.crypto.zk.ProofContext("mpcwallet/keygen/v1", new byte[32],
                        org.mpcwallet.crypto.core.Party.P2), ModPow.JAVA);
    }

    public static Env env(String label) {
        return Env.jvm(DeterministicRandom.fromLabel(label));
    }

    public static byte[] sid(String label) {
        return Sha256.hash(("sid:" + label).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hash(String label) {
        return Sha256.hash(("msg:" + label).getBytes(StandardCharsets.UTF_8));
    }

    /** An honest key pair. */
    public record Keys(P1KeyShare p1, P2KeyShare p2) {}

    public static Keys keygen(String label) {
        Protocols.Outcome<P1KeyShare, P2KeyShare> o = Protocols.keygen(sid("keygen/" + label),
                env(label + "/p1"), env(label + "/p2"), TwoPartyNetwork.Hook.honest());
        assertNull(o.p1().failure(), () -> "P1 failed: " + o.p1().failure());
        assertNull(o.p2().failure(), () -> "P2 failed: " + o.p2().failure());
        assertNotNull(o.p1().result());
        assertNotNull(o.p2().result());
        return new Keys(o.p1().result(), o.p2().result());
    }
}
