package org.mpcwallet.bank.sched;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A background task run with a fixed delay on its own daemon thread (the worker, the listener, the sweeper). */
public final class Periodic implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private Periodic(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code task} every {@code intervalMillis} on a thread named {@code name}; 0 or less: never. */
    public static Periodic every(String name, long intervalMillis, Runnable task) {
        if (intervalMillis <= 0) {
            return new Periodic(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(task, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return new Periodic(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
