package org.mpcwallet.desktop.ui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The window's runner without a window: the work runs off the calling thread, its outcome is handed to the UI
 * executor, and a cancelled job is interrupted and reports nothing.
 */
class RunnerTest {
    private final BlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();

    @Test
    void theResultAndTheFailureComeBackThroughTheUiExecutor() throws Exception {
        try (Runner r = new Runner(ui::add)) {
            Thread caller = Thread.currentThread();
            String[] got = new String[2];
            r.run(() -> Thread.currentThread() == caller ? "same thread" : "background", v -> got[0] = v,
                    t -> got[0] = "failed");
            r.run(() -> {
                throw new IllegalStateException("no bank");
            }, v -> got[1] = "ok", t -> got[1] = t.getMessage());
            ui.poll(10, TimeUnit.SECONDS).run();
            ui.poll(10, TimeUnit.SECONDS).run();
            assertEquals("background", got[0]);
            assertEquals("no bank", got[1]);
        }
    }

    @Test
    void aCancelledJobIsInterruptedAndReportsNothing() throws Exception {
        try (Runner r = new Runner(ui::add)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Runner.Job job = r.run(() -> {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return "late";
            }, v -> { }, t -> { });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            job.cancel();
            assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the work was interrupted");
            assertTrue(job.isCancelled());
            Thread.sleep(200);
            assertTrue(ui.isEmpty(), "a cancelled job hands nothing to the UI thread");
        }
    }
}
