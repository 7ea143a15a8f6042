package org.mpcwallet.desktop.testing;

import java.nio.charset.StandardCharsets;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.parity.InProcessRun;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * One real P2 share (seeded keygen with a 2048-bit Paillier key) and the same key after a seeded refresh, each
 * computed once per test JVM and never changed.
 */
public final class TestShares {
    private TestShares() {}

    /** The bank signer's ring-Pedersen parameters in tests (fixed-prime fixture; a real bank generates its own). */
    public static org.mpcwallet.crypto.zk.ProvenRingPedersen bankParams() {
        return Params.PROVEN;
    }

    /** The test device's own ring-Pedersen parameters (fixture; the command-line wallet makes its own). */
    public static org.mpcwallet.crypto.zk.ProvenRingPedersen deviceParams() {
        return Params.DEVICE;
    }

    private static final class Params {
        static final org.mpcwallet.crypto.zk.ProvenRingPedersen PROVEN = org.mpcwallet.crypto.parity.TestRingPedersen
                .proven("client-desktop-tests", org.mpcwallet.crypto.core.ModPow.JAVA);
        static final org.mpcwallet.crypto.zk.ProvenRingPedersen DEVICE = org.mpcwallet.crypto.parity.TestRingPedersen
                .proven("client-desktop-device", org.mpcwallet.crypto.core.ModPow.JAVA);
    }

    private static final class Holder {
        static final InProcessRun.Result<P1KeyShare, P2KeyShare> KEYS = InProcessRun.keygen(
                Sha256.hash("client-desktop-test/sid".getBytes(StandardCharsets.UTF_8)), bankParams(), deviceParams(),
                Env.jvm(DeterministicRandom.fromLabel("client-desktop-test/p1")),
                Env.jvm(DeterministicRandom.fromLabel("client-desktop-test/p2")));
    }

    private static final class Refreshed {
        static final InProcessRun.Result<P1KeyShare, P2KeyShare> KEYS = InProcessRun.refresh(Holder.KEYS.p1(),
                Holder.KEYS.p2(), Sha256.hash("client-desktop-test/refresh-sid".getBytes(StandardCharsets.UTF_8)),
                bankParams(), deviceParams(),
                Env.jvm(DeterministicRandom.fromLabel("client-desktop-test/refresh-p1")),
                Env.jvm(DeterministicRandom.fromLabel("client-desktop-test/refresh-p2")));
    }

    public static P2KeyShare p2() {
        return Holder.KEYS.p2();
    }

    /** The same key after one refresh: same Q, epoch 1. */
    public static P2KeyShare p2Refreshed() {
        return Refreshed.KEYS.p2();
    }

    /** A real presignature of {@link #p2()}'s key (an in-process presign with the P1 share), seeded by {@code label}. */
    public static org.mpcwallet.crypto.protocol.sign.P2Presignature presignature(String label) {
        return InProcessRun.presign(new org.mpcwallet.crypto.protocol.sign.P1KeyHolder(Holder.KEYS.p1()),
                Holder.KEYS.p2(), Sha256.hash(("client-desktop-test/presign/" + label)
                        .getBytes(StandardCharsets.UTF_8)),
                Env.jvm(DeterministicRandom.fromLabel("client-desktop-test/presign-p1/" + label)),
                Env.jvm(DeterministicRandom.fromLabel("client-desktop-test/presign-p2/" + label))).p2();
    }

    public static final String PASSWORD = "correct horse battery staple 42";
}
