package org.mpcwallet.crypto.protocol;

import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolException;

/** Protocol identifiers of the message envelope (docs/protocol.md §2.1). */
public enum ProtocolId {
    KEYGEN(1, "keygen"),
    PRESIGN(2, "presign"),
    SIGN(3, "sign"),
    ONLINE(4, "online"),
    REFRESH(5, "refresh");

    private final int wireId;
    private final String label;

    ProtocolId(int wireId, String label) {
        this.wireId = wireId;
        this.label = label;
    }

    public int wireId() {
        return wireId;
    }

    /** The name absorbed by proof contexts and commitments. */
    public String label() {
        return label;
    }

    static ProtocolId fromWire(int id) {
        for (ProtocolId p : values()) {
            if (p.wireId == id) {
                return p;
            }
        }
        throw new ProtocolException(FailureKind.MALFORMED_MESSAGE, "envelope", null, "unknown protocol id " + id);
    }
}
