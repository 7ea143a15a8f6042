package org.mpcwallet.crypto.parity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.hash.HmacSha256;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.crypto.hash.Sha256;

/**
 * The parity gate's runner: computes a fixed list of vectors and seeded protocol transcripts and reports one line
 * {@code name=hex} each. The JVM and the TeaVM (WasmGC, in Chromium) builds must print byte-identical reports.
 */
public final class ParityRunner {
    private ParityRunner() {}

    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
        out.add("sha256.abc=" + Bytes.toHex(Sha256.hash(abc)));
        out.add("keccak256.empty=" + Bytes.toHex(Keccak256.hash(new byte[0])));
        out.add("keccak256.abc=" + Bytes.toHex(Keccak256.hash(abc)));
        out.add("hmac-sha256.rfc4231-2=" + Bytes.toHex(HmacSha256.mac("Jefe".getBytes(StandardCharsets.UTF_8),
                "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8))));
        byte[] drbg = new byte[48];
        DeterministicRandom.fromLabel("parity").nextBytes(drbg);
        out.add("drbg.parity=" + Bytes.toHex(drbg));
        return out;
    }

    public static String report() {
        StringBuilder sb = new StringBuilder();
        for (String line : lines()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
