package org.mpcwallet.crypto.core;

/** The two parties: P1 is the bank (owns the Paillier key, produces the signature), P2 the user's device. */
public enum Party {
    P1(1),
    P2(2);

    private final int wireId;

    Party(int wireId) {
        this.wireId = wireId;
    }

    public int wireId() {
        return wireId;
    }

    public Party other() {
        return this == P1 ? P2 : P1;
    }

    public static Party fromWire(int id) {
        if (id == 1) {
            return P1;
        }
        if (id == 2) {
            return P2;
        }
        throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "codec", null, "unknown sender id " + id);
    }
}
