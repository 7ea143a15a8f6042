package org.mpcwallet.crypto.testing;

import java.util.List;
import java.util.function.UnaryOperator;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.protocol.Envelope;

/** Message manipulations for adversarial tests. */
public final class Tamper {
    private Tamper() {}

    /** Re-wraps {@code envelope} with its body transformed, header unchanged. */
    public static byte[] body(byte[] envelope, UnaryOperator<byte[]> f) {
        Envelope e = Envelope.decode(envelope);
        return new Envelope(e.protocol(), e.sessionId(), e.round(), e.sender(), f.apply(e.body())).encode();
    }

    /** Re-wraps {@code envelope}'s body under another session id. */
    public static byte[] session(byte[] envelope, byte[] sid) {
        Envelope e = Envelope.decode(envelope);
        return new Envelope(e.protocol(), sid, e.round(), e.sender(), e.body()).encode();
    }

    /** Flips one bit of byte {@code offset} of a copy. */
    public static byte[] flip(byte[] data, int offset) {
        byte[] c = data.clone();
        c[offset] ^= 1;
        return c;
    }

    /** A hook that transforms the {@code index}-th message sent by {@code who} and passes everything else. */
    public static TwoPartyNetwork.Hook at(Party who, int index, UnaryOperator<byte[]> f) {
        return (i, from, m, sent) -> from == who && i == index ? List.of(f.apply(m)) : List.of(m);
    }
}
