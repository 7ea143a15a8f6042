package org.mpcwallet.bank.auth.app;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.mpcwallet.bank.limits.LimitsConfig;
import org.mpcwallet.bank.limits.RateLimited;

/**
 * bcrypt ({@code $2y$}, Bouncy Castle's {@link OpenBSDBCrypt}) with a random 16-byte salt per hash and the cost from
 * {@link AuthConfig#bcryptCost()} (12 by default: about 0.25 s per hash on one core). Verification recomputes the
 * hash with the stored salt and cost and compares in constant time (OpenBSDBCrypt.checkPassword).
 * bcrypt reads at most 72 bytes, so passwords are limited to 72 UTF-8 bytes.
 *
 * <p>Every hash and check runs on a pool of {@link LimitsConfig#bcryptThreads()} threads with a queue of
 * {@link LimitsConfig#bcryptQueue()} (docs/controls-hardening.md §4): a flood of logins cannot take more CPU than
 * that; when the queue is full the request is refused at once (503, {@code Retry-After: 1}) instead of waiting.
 */
@Singleton
public class PasswordHasher {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the user does not exist, so an unknown user costs the same time as a wrong password. */
    private final String dummyHash;

    private final ThreadPoolExecutor pool;

    public PasswordHasher(AuthConfig config, LimitsConfig limits) {
        this.cost = config.bcryptCost();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limits.bcryptThreads(), limits.bcryptThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.bcryptQueue()), r -> {
                    Thread t = new Thread(r, "bcrypt-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.pool.allowCoreThreadTimeOut(true);
        byte[] junk = new byte[16];
        random.nextBytes(junk);
        this.dummyHash = generate(java.util.HexFormat.of().formatHex(junk));
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }

    /** Null when the password meets the policy, otherwise the reason (safe to show to the user). */
    public static String policyViolation(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return "password must be at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "password must be at most " + MAX_BYTES + " bytes in UTF-8";
        }
        if (password.indexOf('\0') >= 0) {
            return "password must not contain NUL";
        }
        return null;
    }

    public String hash(String password) {
        return bounded(() -> generate(password));
    }

    private String generate(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    /** Constant-time check; a null hash (unknown user) is checked against a dummy hash and always fails. */
    public boolean verify(String password, String storedHash) {
        return bounded(() -> check(password, storedHash));
    }

    private boolean check(String password, String storedHash) {
        boolean usable = password != null && password.indexOf('\0') < 0
                && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
        char[] pw = usable ? password.toCharArray() : "x".repeat(MIN_LENGTH).toCharArray();
        try {
            boolean ok = OpenBSDBCrypt.checkPassword(storedHash != null ? storedHash : dummyHash, pw);
            return ok && usable && storedHash != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code work} on the bounded pool and waits for it. */
    private <T> T bounded(Callable<T> work) {
        Future<T> f;
        try {
            f = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw RateLimited.overloaded("the bank is busy checking passwords; try again in a moment",
                    Duration.ofSeconds(1));
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking a password");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }
}
