package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Party;

class ProofContextTest {
    @Test
    void sessionIdMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new ProofContext("p", new byte[31], Party.P1));
        assertThrows(IllegalArgumentException.class, () -> new ProofContext("p", new byte[33], Party.P1));
        assertThrows(IllegalArgumentException.class, () -> new ProofContext("p", null, Party.P1));
    }

    @Test
    void protocolAndProverAreRequired() {
        assertThrows(IllegalArgumentException.class, () -> new ProofContext("", new byte[32], Party.P1));
        assertThrows(IllegalArgumentException.class, () -> new ProofContext(null, new byte[32], Party.P1));
        assertThrows(IllegalArgumentException.class, () -> new ProofContext("x".repeat(129), new byte[32],
                Party.P1));
        assertThrows(IllegalArgumentException.class, () -> new ProofContext("p", new byte[32], null));
    }

    @Test
    void sessionIdIsCopiedInAndOut() {
        byte[] sid = ZkTestSupport.sid(3);
        ProofContext c = new ProofContext("p", sid, Party.P2);
        sid[5] ^= 1;
        assertNotEquals(sid[5], c.sessionId()[5]);
        c.sessionId()[0] ^= 1;
        assertArrayEquals(ZkTestSupport.sid(3), c.sessionId());
    }

    @Test
    void equalityIsByContent() {
        assertEquals(new ProofContext("p", ZkTestSupport.sid(3), Party.P1),
                new ProofContext("p", ZkTestSupport.sid(3), Party.P1));
        assertEquals(new ProofContext("p", ZkTestSupport.sid(3), Party.P1).hashCode(),
                new ProofContext("p", ZkTestSupport.sid(3), Party.P1).hashCode());
        assertNotEquals(new ProofContext("p", ZkTestSupport.sid(3), Party.P1),
                new ProofContext("p", ZkTestSupport.sid(3), Party.P2));
    }
}
