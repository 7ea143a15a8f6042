package org.mpcwallet.crypto.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.hash.Transcript;

/**
 * Checklist row 4 (TSSHOCK alpha-shuffle): two different tuples whose plain concatenations are equal must hash to
 * different transcripts, and so to different challenges.
 */
class TranscriptInjectivityTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void splittingTheSameBytesDifferentlyChangesTheDigest() {
        Transcript t1 = new Transcript("d").append("v", utf8("ab")).append("v", utf8("c"));
        Transcript t2 = new Transcript("d").append("v", utf8("a")).append("v", utf8("bc"));
        assertArrayEquals(Bytes.concat(utf8("ab"), utf8("c")), Bytes.concat(utf8("a"), utf8("bc")));
        assertFalse(Arrays.equals(t1.digest(), t2.digest()));
        assertNotEquals(ZkMath.challenge(t1), ZkMath.challenge(t2));
    }

    @Test
    void labelValueBoundaryIsUnambiguous() {
        Transcript t1 = new Transcript("d").append("ab", utf8("c"));
        Transcript t2 = new Transcript("d").append("a", utf8("bc"));
        assertFalse(Arrays.equals(t1.digest(), t2.digest()));
        Transcript t3 = new Transcript("da").append("b", utf8("c"));
        Transcript t4 = new Transcript("d").append("ab", utf8("c"));
        assertFalse(Arrays.equals(t3.digest(), t4.digest()));
    }

    @Test
    void integersWithEqualConcatenationHashDifferently() {
        // (0x01, 0x0203) and (0x0102, 0x03): concatenations 01 02 03 both
        Transcript t1 = new Transcript("d").append("x", BigInteger.valueOf(0x01)).append("y",
                BigInteger.valueOf(0x0203));
        Transcript t2 = new Transcript("d").append("x", BigInteger.valueOf(0x0102)).append("y",
                BigInteger.valueOf(0x03));
        assertFalse(Arrays.equals(t1.digest(), t2.digest()));
        // a value and its negation, and the sign-extension pitfall (0x80 vs -128)
        Transcript t3 = new Transcript("d").append("x", BigInteger.valueOf(128));
        Transcript t4 = new Transcript("d").append("x", BigInteger.valueOf(-128));
        assertFalse(Arrays.equals(t3.digest(), t4.digest()));
    }

    @Test
    void contextFieldsCannotBeShiftedIntoEachOther() {
        byte[] sid = ZkTestSupport.sid(7);
        Transcript t1 = new Transcript("d");
        new ProofContext("mpcwallet/ab", sid, Party.P1).absorbInto(t1);
        t1.append("N", utf8("c"));
        Transcript t2 = new Transcript("d");
        new ProofContext("mpcwallet/a", sid, Party.P1).absorbInto(t2);
        t2.append("N", utf8("bc"));
        assertFalse(Arrays.equals(t1.digest(), t2.digest()));
    }

    @Test
    void everyProofHasItsOwnDomainTag() {
        String[] domains = {SchnorrProof.DOMAIN, PaillierBlumModulusProof.DOMAIN, NoSmallFactorProof.DOMAIN,
            PaillierEncLogProof.DOMAIN};
        for (int i = 0; i < domains.length; i++) {
            for (int j = i + 1; j < domains.length; j++) {
                assertNotEquals(domains[i], domains[j]);
            }
        }
    }
}
