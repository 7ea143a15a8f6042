package org.mpcwallet.crypto.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.hash.Keccak256;
import org.web3j.crypto.Hash;

/** Keccak-256 (the hash under addresses, EIP-55 and transaction hashes) against published known answers. */
class Keccak256VectorsTest {
    @Test
    void knownAnswers() {
        List<String[]> rows = Vectors.rows("vectors/keccak/keccak256.txt", 3);
        assertEquals(7, rows.size(), "vector count");
        for (String[] row : rows) {
            assertArrayEquals(Vectors.hex(row[2]), Keccak256.hash(Vectors.input(row[1])), row[0]);
        }
    }

    @Test
    void multiPartInputHashesTheConcatenation() {
        byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertArrayEquals(Keccak256.hash(abc), Keccak256.hash(new byte[] {'a'}, new byte[0], new byte[] {'b', 'c'}));
    }

    @Test
    void matchesWeb3jAcrossTheSpongeRate() {
        Random rnd = new Random(0x6b656363L);
        for (int len = 0; len <= 420; len++) {
            byte[] in = RandomValues.bytes(rnd, len);
            assertArrayEquals(Hash.sha3(in), Keccak256.hash(in), "length " + len);
        }
    }
}
