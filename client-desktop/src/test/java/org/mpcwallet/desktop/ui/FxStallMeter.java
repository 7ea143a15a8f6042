package org.mpcwallet.desktop.ui;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures how long the JavaFX thread is kept from running: every 5 ms a background thread posts a task and the
 * task records how late it ran. The longest delay while the meter runs is the longest stall of the UI thread
 * (docs/benchmarks.md "Desktop window"); measured and printed, not asserted.
 */
final class FxStallMeter implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fx-stall-meter");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();

    FxStallMeter() {
        timer.scheduleAtFixedRate(() -> {
            long posted = System.nanoTime();
            Platform.runLater(() -> {
                long late = System.nanoTime() - posted;
                maxNanos.accumulateAndGet(late, Math::max);
                samples.incrementAndGet();
            });
        }, 0, 5, TimeUnit.MILLISECONDS);
    }

    /** The longest delay seen so far, in milliseconds. */
    double maxMillis() {
        return maxNanos.get() / 1e6;
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
