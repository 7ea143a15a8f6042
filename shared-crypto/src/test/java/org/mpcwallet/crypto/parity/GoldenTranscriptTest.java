package org.mpcwallet.crypto.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Golden transcripts: the seeded keygen, sign, presign/online and refresh runs (and the fixed vectors) of
 * {@link ParityRunner} must reproduce the checked-in report byte for byte. A change to any message encoding, proof
 * transcript or step shows up here. Regenerate deliberately with {@code GoldenTranscriptTest.main} (see
 * golden/README.md), never to make a failure go away without understanding it.
 */
class GoldenTranscriptTest {
    static final String RESOURCE = "/golden/parity-report.txt";

    static String golden() throws IOException {
        try (InputStream in = GoldenTranscriptTest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new AssertionError("golden file " + RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void seededRunsReproduceTheGoldenReport() throws IOException {
        String expected = golden();
        String actual = ParityRunner.report();
        assertTrue(expected.lines().count() >= 20, "golden report is suspiciously short");
        assertEquals(expected, actual);
    }

    @Test
    void eip155ExampleMatchesTheEip() throws IOException {
        // EIP-155's worked example: signing hash daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53
        assertTrue(golden().contains(
                "eip155.example.signing-hash=daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"));
    }

    /** Prints the current report (to regenerate the golden file deliberately). */
    public static void main(String[] args) {
        System.out.print(ParityRunner.report());
    }
}
