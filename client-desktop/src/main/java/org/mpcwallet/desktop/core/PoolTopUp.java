package org.mpcwallet.desktop.core;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.PresignatureRecords;

/**
 * Tops a wallet's {@link PresignaturePool} up to {@link PresignaturePool#TARGET} with {@code presign} sessions
 * (docs/presign-online.md "Stage 3"), while the share is open anyway: a keygen, a co-signing or a refresh hands one
 * back with its result, and the caller runs it once the user has the result (the command printed it, the window
 * shows it). It never fails the user's action: a failure ends the top-up with a notice, and the pool keeps what it
 * holds. Each presignature is sealed and written (fsynced) as soon as its session completed. Runs once; the pool key
 * is wiped after. It holds the wallet's top-up lock while it runs, so two processes sharing the data directory never
 * fill one pool beyond its target; the one that finds the lock taken leaves the filling to the other.
 */
public final class PoolTopUp {
    /** A presign is one round trip and a few milliseconds of work; a bank that takes longer is left for later. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
    /** Nothing to do (no share at hand). */
    public static final PoolTopUp NONE = new PoolTopUp(null, null, null, null, null, s -> {});

    private final BankApi api;
    private final PresignaturePool pool;
    private final String walletId;
    private final P2KeyShare share;
    private final Consumer<String> notices;
    private byte[] poolKey;

    /** Takes {@code poolKey} over (wiped after {@link #run}). */
    public PoolTopUp(BankApi api, PresignaturePool pool, String walletId, P2KeyShare share, byte[] poolKey,
            Consumer<String> notices) {
        this.api = api;
        this.pool = pool;
        this.walletId = walletId;
        this.share = share;
        this.poolKey = poolKey;
        this.notices = notices;
    }

    /** Makes presignatures until the pool holds its target; returns how many were made. Never throws. */
    public synchronized int run() {
        if (poolKey == null) {
            return 0;
        }
        int made = 0;
        PresignaturePool.TopUpLock lock = null;
        try {
            if (pool.count(walletId) >= PresignaturePool.TARGET) {
                return 0;
            }
            lock = pool.lockTopUp(walletId);
            if (lock == null) {
                return 0; // another process (or thread) is filling this wallet's pool now
            }
            api.me(); // refreshes the access token if needed before the upgrade request
            SecureRandom rng = new SecureRandom();
            try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), MpcChannel.CONNECT_TIMEOUT)) {
                while (pool.count(walletId) < PresignaturePool.TARGET) {
                    P2Presignature p = ch.presign(walletId, share, SESSION_TIMEOUT);
                    if (!pool.add(walletId, PresignatureRecords.seal(poolKey, walletId, p, rng::nextBytes))) {
                        break;
                    }
                    made++;
                }
            }
        } catch (RuntimeException e) {
            String why = e instanceof MpcException m ? m.code() + (m.detail() == null ? "" : ": " + m.detail())
                    : e.getMessage();
            notices.accept("could not make presignatures for wallet " + walletId + " now (" + why + "); " + made
                    + " made, the next co-signing tops the pool up");
        } finally {
            if (lock != null) {
                lock.close();
            }
            Bytes.wipe(poolKey);
            poolKey = null;
        }
        return made;
    }

    @Override
    public String toString() {
        return "PoolTopUp[wallet " + walletId + ", share and pool key redacted]";
    }
}
