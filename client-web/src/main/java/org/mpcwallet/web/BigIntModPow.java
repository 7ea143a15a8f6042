package org.mpcwallet.web;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.ModPow;
import org.teavm.jso.JSBody;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * {@link ModPow} on the JavaScript engine's native {@code BigInt}, several times faster in the browser than TeaVM's
 * {@code BigInteger.modPow} (see TEAVM-NOTES.md). Operands cross the JSO boundary as unsigned big-endian byte
 * arrays; the exponentiation is a left-to-right fixed 4-bit-window square-and-multiply over {@code BigInt}.
 * Same results as {@link BigInteger#modPow} for every input that method accepts: negative bases are reduced first,
 * a negative exponent inverts the base (and throws like {@code modPow} when there is no inverse), a modulus below 1
 * throws {@link ArithmeticException}. Not constant-time (neither is {@code BigInteger.modPow}).
 * Only usable in TeaVM-compiled code.
 */
public final class BigIntModPow implements ModPow {
    public static final BigIntModPow INSTANCE = new BigIntModPow();

    private BigIntModPow() {}

    @Override
    public BigInteger modPow(BigInteger base, BigInteger exponent, BigInteger modulus) {
        if (modulus.signum() <= 0) {
            throw new ArithmeticException("BigInteger: modulus not positive");
        }
        if (modulus.equals(BigInteger.ONE)) {
            return BigInteger.ZERO;
        }
        BigInteger b = base.mod(modulus);
        BigInteger e = exponent;
        if (e.signum() < 0) {
            b = b.modInverse(modulus);
            e = e.negate();
        }
        Int8Array result = nativeModPow(Int8Array.copyFromJavaArray(unsigned(b)),
                Int8Array.copyFromJavaArray(unsigned(e)), Int8Array.copyFromJavaArray(unsigned(modulus)));
        return new BigInteger(1, result.copyToJavaArray());
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] raw = v.toByteArray();
        if (raw.length > 1 && raw[0] == 0) {
            byte[] trimmed = new byte[raw.length - 1];
            System.arraycopy(raw, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return raw;
    }

    @JSBody(params = {"b", "e", "m"}, script = ""
            + "var HEX = '0123456789abcdef';"
            + "function toBig(a) {"
            + "  var s = '0x0';"
            + "  for (var i = 0; i < a.length; i++) { var v = a[i] & 255; s += HEX[v >> 4] + HEX[v & 15]; }"
            + "  return BigInt(s);"
            + "}"
            + "var M = toBig(m), B = toBig(b) % M, es = toBig(e).toString(16);"
            + "var one = BigInt(1); var table = [one % M, B];"
            + "for (var k = 2; k < 16; k++) { table.push(table[k - 1] * B % M); }"
            + "var r = one % M;"
            + "for (var j = 0; j < es.length; j++) {"
            + "  if (j > 0) { r = r * r % M; r = r * r % M; r = r * r % M; r = r * r % M; }"
            + "  var d = parseInt(es[j], 16);"
            + "  if (d !== 0) { r = r * table[d] % M; }"
            + "}"
            + "var h = r.toString(16); if (h.length % 2) { h = '0' + h; }"
            + "var out = new Int8Array(h.length / 2);"
            + "for (var q = 0; q < out.length; q++) { out[q] = parseInt(h.substr(2 * q, 2), 16); }"
            + "return out;")
    private static native Int8Array nativeModPow(Int8Array b, Int8Array e, Int8Array m);
}
