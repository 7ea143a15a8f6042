package org.mpcwallet.crypto.zk;

import java.util.HashSet;
import java.util.Set;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.ModPow;

/**
 * Remembers which of the other party's ring-Pedersen parameters passed Π^prm (by fingerprint over N̂, s, t), so that
 * a party that sees the same parameters again (the bank, a device's parameters at each keygen and refresh) checks
 * the proof once instead of every time (about 0.4 s on the JVM). Only parameters this object verified itself are
 * remembered; it holds public values only. In memory, bounded ({@link #MAX_ENTRIES}; when full it starts over).
 * Thread-safe.
 */
public final class RingPedersenCache {
    public static final int MAX_ENTRIES = 100_000;
    private final Set<String> verified = new HashSet<>();

    /** The parameters as verified: from memory if these exact values passed Π^prm here before, else checked now. */
    public VerifiedRingPedersen verify(ProofContext ctx, ProvenRingPedersen proven, ModPow mp) {
        String key = Bytes.toHex(proven.fingerprint());
        synchronized (this) {
            if (verified.contains(key)) {
                return new VerifiedRingPedersen(proven.params());
            }
        }
        VerifiedRingPedersen checked = proven.verify(ctx, mp);
        synchronized (this) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.add(key);
        }
        return checked;
    }

    public synchronized int size() {
        return verified.size();
    }

    @Override
    public String toString() {
        return "RingPedersenCache[" + size() + " verified]";
    }
}
