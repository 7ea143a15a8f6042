package org.mpcwallet.signer.spi;

/** {@link PresignatureHighWater} in memory, for tests and demos (not durable). Thread-safe. */
public final class InMemoryHighWater implements PresignatureHighWater {
    private LedgerMark mark;

    @Override
    public synchronized LedgerMark read() {
        return mark;
    }

    @Override
    public synchronized void advance(LedgerMark m) {
        if (mark == null || m.ahead(mark)) {
            mark = m;
        }
    }
}
