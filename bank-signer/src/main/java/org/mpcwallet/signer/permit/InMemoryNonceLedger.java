package org.mpcwallet.signer.permit;

import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * A {@link NonceLedger} in process memory, for tests and a single in-process signer. Forgets a nonce one minute
 * after its permit expired (by then the verifier refuses the permit as expired anyway). Thread-safe.
 */
public final class InMemoryNonceLedger implements NonceLedger {
    /** How long past expiry a nonce is kept (covers clock skew between writers). */
    static final long RETENTION_AFTER_EXPIRY_MILLIS = 60_000;

    private final Clock clock;
    private final Map<String, Long> seen = new HashMap<>();

    public InMemoryNonceLedger(Clock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("clock required");
        }
        this.clock = clock;
    }

    @Override
    public synchronized boolean consume(byte[] nonce, long expiresAt) {
        if (nonce == null || nonce.length != SigningPermit.NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be 16 bytes");
        }
        prune(clock.millis());
        return seen.putIfAbsent(HexFormat.of().formatHex(nonce), expiresAt) == null;
    }

    /** Number of remembered nonces. */
    public synchronized int size() {
        return seen.size();
    }

    private void prune(long now) {
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next() + RETENTION_AFTER_EXPIRY_MILLIS < now) {
                it.remove();
            }
        }
    }
}
