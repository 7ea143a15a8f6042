package org.mpcwallet.signer.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.parity.InProcessRun;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * One real two-party key (keygen with 2048-bit Paillier, seeded so runs are reproducible), computed once per test
 * JVM because keygen costs seconds; every test that needs a share reads it from here and never changes it.
 */
public final class TestKeys {
    private TestKeys() {}

    private static final class Holder {
        static final org.mpcwallet.crypto.zk.ProvenRingPedersen BANK_PARAMS =
                org.mpcwallet.crypto.parity.TestRingPedersen.proven("signer-tests",
                        org.mpcwallet.crypto.core.ModPow.JAVA);
        static final org.mpcwallet.crypto.zk.ProvenRingPedersen DEVICE_PARAMS =
                org.mpcwallet.crypto.parity.TestRingPedersen.proven("signer-tests-device",
                        org.mpcwallet.crypto.core.ModPow.JAVA);
        static final InProcessRun.Result<P1KeyShare, P2KeyShare> KEYS = InProcessRun.keygen(sid("keygen"),
                BANK_PARAMS, DEVICE_PARAMS, env("keygen/p1"), env("keygen/p2"));
    }

    /** The test device's own ring-Pedersen parameters (fixture). */
    public static org.mpcwallet.crypto.zk.ProvenRingPedersen deviceParams() {
        return Holder.DEVICE_PARAMS;
    }

    /** The bank signer's ring-Pedersen parameters in tests (the fixed-prime fixture; production generates its own). */
    public static org.mpcwallet.crypto.zk.ProvenRingPedersen bankParams() {
        return Holder.BANK_PARAMS;
    }

    public static P1KeyShare p1() {
        return Holder.KEYS.p1();
    }

    public static P2KeyShare p2() {
        return Holder.KEYS.p2();
    }

    public static Env env(String label) {
        return Env.jvm(DeterministicRandom.fromLabel("bank-signer-test/" + label));
    }

    public static byte[] sid(String label) {
        return Sha256.hash(("bank-signer-test/sid/" + label).getBytes(StandardCharsets.UTF_8));
    }

    /** A SecureRandom that is deterministic for the test (SHA1PRNG seeded); for nonces and data keys. */
    public static SecureRandom random(String label) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(label.getBytes(StandardCharsets.UTF_8));
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 1 ETH transfer on mainnet to a fixed address. */
    public static Eip1559Transaction tx(long nonce) {
        byte[] to = new byte[20];
        for (int i = 0; i < to.length; i++) {
            to[i] = (byte) (0x11 * (i % 15 + 1));
        }
        return new Eip1559Transaction(BigInteger.ONE, BigInteger.valueOf(nonce), BigInteger.valueOf(2_000_000_000L),
                BigInteger.valueOf(30_000_000_000L), BigInteger.valueOf(21_000), new EthAddress(to),
                BigInteger.TEN.pow(18), new byte[0]);
    }

    public static List<org.mpcwallet.signer.permit.SigningPermit.Control> controls() {
        return List.of(new org.mpcwallet.signer.permit.SigningPermit.Control("policy.limit", "pass"),
                new org.mpcwallet.signer.permit.SigningPermit.Control("kyt", "pass"),
                new org.mpcwallet.signer.permit.SigningPermit.Control("approval.quorum", "2/2"));
    }
}
