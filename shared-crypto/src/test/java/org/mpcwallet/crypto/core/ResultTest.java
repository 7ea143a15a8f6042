package org.mpcwallet.crypto.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one success-or-failure shape: which side it is, the accessors of the wrong side, redaction, {@code map}. */
class ResultTest {
    private record Failure(String reason) {
    }

    @Test
    void aSuccessHoldsItsValueUncopiedAndHasNoFailure() {
        byte[] share = {0x2a, 0x2b};
        Result<byte[], Failure> ok = Result.ok(share);
        assertTrue(ok.isOk());
        assertTrue(ok instanceof Result.Ok<byte[], Failure>);
        assertSame(share, ok.value());
        IllegalStateException e = assertThrows(IllegalStateException.class, ok::failure);
        assertEquals("the operation succeeded; there is no failure", e.getMessage());
    }

    @Test
    void aFailureHoldsItsFailureAndItsValueAccessorNamesIt() {
        Result<byte[], Failure> err = Result.err(new Failure("wrong password"));
        assertFalse(err.isOk());
        assertTrue(err instanceof Result.Err<byte[], Failure>);
        assertEquals(new Failure("wrong password"), err.failure());
        IllegalStateException e = assertThrows(IllegalStateException.class, err::value);
        assertEquals("the operation failed: Failure[reason=wrong password]", e.getMessage());
    }

    @Test
    void toStringNeverShowsTheValue() {
        assertEquals("Ok[value redacted]", Result.ok("s3cr3t-share").toString());
        assertFalse(Result.ok("s3cr3t-share").toString().contains("s3cr3t"));
        assertEquals("Ok[value redacted]", Result.ok(new byte[] {0x2a}).toString());
        assertEquals("Ok[value redacted]", new Result.Ok<>(42).toString());
        assertEquals("Err[Failure[reason=bad tag]]", Result.err(new Failure("bad tag")).toString());
    }

    @Test
    void neitherSideTakesNull() {
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> Result.ok(null));
        assertEquals("success needs a value", v.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Result.err(null));
        assertEquals("failure needs a reason", f.getMessage());
    }

    @Test
    void mapTransformsASuccessAndPassesAFailureOn() {
        Result<String, Failure> ok = Result.ok("abc");
        assertEquals(3, ok.map(String::length).value());
        Result<String, Failure> err = Result.err(new Failure("x"));
        Result<Integer, Failure> mapped = err.map(s -> {
            throw new AssertionError("a failure is not mapped");
        });
        assertEquals(new Failure("x"), mapped.failure());
        assertThrows(IllegalArgumentException.class, () -> ok.map(s -> null), "a success must keep a value");
    }

    @Test
    void equalityIsBySideAndContent() {
        assertEquals(Result.ok("a"), Result.ok("a"));
        assertEquals(Result.err(new Failure("x")), Result.err(new Failure("x")));
        assertFalse(Result.ok("x").equals(Result.err("x")));
    }
}
