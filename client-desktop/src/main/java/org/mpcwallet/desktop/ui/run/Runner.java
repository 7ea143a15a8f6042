package org.mpcwallet.desktop.ui.run;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs the window's slow work — every network call, protocol step, PBKDF2 and file write — off the UI thread, on
 * virtual threads, and hands the outcome back on the UI thread ({@code ui}, e.g. {@code Platform::runLater}). A
 * {@link Job} can be cancelled: its thread is interrupted (a channel session then sends the protocol's cancel frame
 * and stops, docs/mpc-channel.md), and a cancelled job reports nothing but its cancellation.
 */
public final class Runner implements AutoCloseable {
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.concurrent.Executor ui;

    public Runner(java.util.concurrent.Executor ui) {
        this.ui = ui;
    }

    /** A piece of work under way. */
    public static final class Job {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile Future<?> future;
        private volatile boolean done;

        /** Stops the work (interrupts it); the job's {@code failed} hears nothing, its {@code onCancel} is run. */
        public void cancel() {
            if (cancelled.compareAndSet(false, true) && future != null) {
                future.cancel(true);
            }
        }

        public boolean isCancelled() {
            return cancelled.get();
        }

        public boolean isDone() {
            return done;
        }
    }

    /**
     * Runs {@code work} in the background; then, on the UI thread, {@code succeeded} with its result or
     * {@code failed} with what it threw — unless the job was cancelled.
     */
    public <T> Job run(Callable<T> work, Consumer<T> succeeded, Consumer<Throwable> failed) {
        Job job = new Job();
        job.future = pool.submit(() -> {
            if (job.isCancelled()) {
                return;
            }
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                job.done = true;
                if (!job.isCancelled()) {
                    ui.execute(() -> failed.accept(t));
                }
                return;
            }
            job.done = true;
            if (!job.isCancelled()) {
                ui.execute(() -> succeeded.accept(result));
            }
        });
        if (job.isCancelled()) {
            job.future.cancel(true); // cancelled before the future was known: interrupt it now
        }
        return job;
    }

    /** Posts {@code update} to the UI thread (progress from the background). */
    public void onUi(Runnable update) {
        ui.execute(update);
    }

    /** Stops taking work and interrupts what runs (the window closes). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
