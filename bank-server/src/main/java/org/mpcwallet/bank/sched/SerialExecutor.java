package org.mpcwallet.bank.sched;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs the tasks given to it one at a time, in the order they were given, on threads of {@code backing}
 * (docs/controls-hardening.md §6: the frames of one WebSocket connection are handled strictly in arrival order, off
 * the event loop). At most {@code maxQueued} tasks wait; {@link #execute} refuses more with {@code false}.
 */
public final class SerialExecutor {
    private final Executor backing;
    private final int maxQueued;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor backing, int maxQueued) {
        this.backing = backing;
        this.maxQueued = maxQueued;
    }

    /** Queues {@code task}; false (and nothing queued) when {@code maxQueued} tasks already wait. */
    public boolean execute(Runnable task) {
        synchronized (tasks) {
            if (tasks.size() >= maxQueued) {
                return false;
            }
            tasks.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        backing.execute(this::drain);
        return true;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // the task reports its own failures; one that escapes must not stop the tasks behind it
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
