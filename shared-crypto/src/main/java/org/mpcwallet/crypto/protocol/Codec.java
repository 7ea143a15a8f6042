package org.mpcwallet.crypto.protocol;

import java.math.BigInteger;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.WireReader;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Scalars;

/** Field decoders shared by the protocol messages: strict, failing with the field's name and never its value. */
public final class Codec {
    /** Paillier modulus field bound: 2048-bit N is 256 bytes; allow a little more so size checks say "2049 bits". */
    public static final int MAX_MODULUS_BYTES = 400;
    public static final int MAX_CIPHERTEXT_BYTES = 2 * MAX_MODULUS_BYTES;
    public static final int MAX_PROOF_BYTES = 128 * 1024;

    private Codec() {}

    public static Point point(WireReader r, String field, String step) {
        byte[] b = r.bytes(field, 33);
        try {
            return Point.decode(b);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(FailureKind.INVALID_PARAMETER, step, null,
                    field + " is not a valid secp256k1 point (off-curve, identity or non-canonical)");
        }
    }

    public static BigInteger scalar(WireReader r, String field, String step) {
        byte[] b = r.bytes(field, 32);
        try {
            return Scalars.decode(b);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(FailureKind.INVALID_PARAMETER, step, null, field + " is not a scalar below q");
        }
    }
}
