package org.mpcwallet.bank.sched;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A background task run with a fixed delay on its own daemon thread (the worker, the listener, the sweeper). */
public final class Periodic implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final Runnable task;
    private final AtomicBoolean woken = new AtomicBoolean();

    private Periodic(ScheduledExecutorService timer, Runnable task) {
        this.timer = timer;
        this.task = task;
    }

    /** Runs {@code task} every {@code intervalMillis} on a thread named {@code name}; 0 or less: never. */
    public static Periodic every(String name, long intervalMillis, Runnable task) {
        if (intervalMillis <= 0) {
            return new Periodic(null, task);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(task, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return new Periodic(timer, task);
    }

    /**
     * Runs the task once more as soon as its thread is free (after the run in progress, if any), besides its
     * schedule; wakes that arrive before that run starts are one wake. Nothing when the task never runs.
     */
    public void wake() {
        if (timer != null && woken.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    woken.set(false);
                    task.run();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                woken.set(false); // closed
            }
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
