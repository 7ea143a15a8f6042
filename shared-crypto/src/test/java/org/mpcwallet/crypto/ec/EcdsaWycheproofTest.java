package org.mpcwallet.crypto.ec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.hash.Sha256;

/**
 * Project Wycheproof ECDSA/secp256k1/SHA-256 vectors (C2SP/wycheproof, testvectors_v1; provenance in
 * src/test/resources/vectors/wycheproof/README.md) against {@link Ecdsa#verify} and, for the Bitcoin variant, the
 * low-s rule of {@link EcdsaSignature}.
 *
 * <p>Policy: signatures must be strict DER (anything else is a rejection); keys are decoded with our strict
 * compressed-point decoder. "acceptable" results (none in the pinned files) are decided by the same strict policy
 * and must agree with Bouncy Castle's {@code ECDSASigner} on the same parsed (r, s).
 */
class EcdsaWycheproofTest {
    private static final String DIR = "vectors/wycheproof/";
    private static final String PLAIN = "ecdsa_secp256k1_sha256_test.json";
    private static final String BITCOIN = "ecdsa_secp256k1_sha256_bitcoin_test.json";

    private static final X9ECParameters BC_PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters BC_DOMAIN = new ECDomainParameters(BC_PARAMS);

    /** Tally of one file's run. */
    private static final class Tally {
        int groups;
        int tests;
        int valid;
        int invalid;
        int acceptable;
        int rejectedKeys;
        int nonDer;
        int highSValid;
        int rejectedOnlyByLowS;
        final List<String> mismatches = new ArrayList<>();
    }

    @Test
    void plainEcdsaVectors() {
        Tally t = run(PLAIN, "ecdsa_verify_schema_v1.json", "EcdsaVerify", false);
        assertEquals(109, t.groups, "groups");
        assertEquals(476, t.tests, "tests");
        assertEquals(168, t.valid, "valid");
        assertEquals(308, t.invalid, "invalid");
        assertEquals(0, t.acceptable, "acceptable");
        assertEquals(0, t.rejectedKeys, "keys rejected by Point.decode");
        // plain ECDSA (and Ecdsa.verify) accepts high-s: the file must exercise that
        assertEquals(72, t.highSValid, "valid high-s signatures (Ecdsa.verify accepts them)");
        assertEquals(193, t.nonDer, "signatures refused as not strict DER (all are 'invalid')");
    }

    @Test
    void bitcoinLowSVectors() {
        Tally t = run(BITCOIN, "ecdsa_bitcoin_verify_schema.json", "EcdsaBitcoinVerify", true);
        assertEquals(99, t.groups, "groups");
        assertEquals(463, t.tests, "tests");
        assertEquals(162, t.valid, "valid");
        assertEquals(301, t.invalid, "invalid");
        assertEquals(0, t.acceptable, "acceptable");
        assertEquals(0, t.rejectedKeys, "keys rejected by Point.decode");
        assertEquals(0, t.highSValid, "a Bitcoin-valid signature is never high-s");
        assertEquals(2, t.rejectedOnlyByLowS, "vectors rejected by the low-s rule alone (tcId 1 and 388)");
        assertEquals(190, t.nonDer, "signatures refused as not strict DER (all are 'invalid')");
    }

    private static Tally run(String file, String schema, String groupType, boolean bitcoin) {
        JsonNode root = load(file);
        assertEquals("ECDSA", root.path("algorithm").asText(), file + " algorithm");
        assertEquals(schema, root.path("schema").asText(), file + " schema");
        JsonNode groups = root.path("testGroups");
        assertTrue(groups.isArray() && !groups.isEmpty(), file + " has test groups");
        Tally tally = new Tally();
        for (JsonNode group : groups) {
            tally.groups++;
            assertEquals(groupType, group.path("type").asText(), file + " group type");
            assertEquals("SHA-256", group.path("sha").asText(), file + " hash");
            JsonNode pk = group.path("publicKey");
            assertEquals("secp256k1", pk.path("curve").asText(), file + " curve");
            Point q = decodeKey(pk);
            List<JsonNode> tests = new ArrayList<>();
            group.path("tests").forEach(tests::add);
            assertTrue(!tests.isEmpty(), file + ": empty test group");
            if (q == null) {
                tally.rejectedKeys++;
                for (JsonNode test : tests) {
                    tally.tests++;
                    count(tally, test.path("result").asText());
                    if (!"invalid".equals(test.path("result").asText())) {
                        tally.mismatches.add("tcId " + test.path("tcId").asInt()
                                + ": key rejected by Point.decode but test is " + test.path("result").asText());
                    }
                }
                continue;
            }
            ECPublicKeyParameters bcKey = new ECPublicKeyParameters(
                    BC_PARAMS.getCurve().decodePoint(q.encode()), BC_DOMAIN);
            for (JsonNode test : tests) {
                tally.tests++;
                check(tally, test, q, bcKey, bitcoin);
            }
        }
        assertEquals(root.path("numberOfTests").asInt(), tally.tests, file + ": numberOfTests");
        assertTrue(tally.mismatches.isEmpty(),
                file + ": " + tally.mismatches.size() + " mismatches:\n" + String.join("\n", tally.mismatches));
        return tally;
    }

    private static void check(Tally tally, JsonNode test, Point q, ECPublicKeyParameters bcKey, boolean bitcoin) {
        int tcId = test.path("tcId").asInt();
        String result = test.path("result").asText();
        count(tally, result);
        byte[] msg = Bytes.fromHex(test.path("msg").asText());
        byte[] sig = Bytes.fromHex(test.path("sig").asText());
        byte[] hash = Sha256.hash(msg);
        BigInteger[] rs = strictDer(sig);
        boolean ecdsaOk = false;
        boolean lowSOk = false;
        if (rs == null) {
            tally.nonDer++;
        } else {
            BigInteger r = rs[0];
            BigInteger s = rs[1];
            ecdsaOk = Ecdsa.verify(hash, r, s, q);
            // independent reference on the same parsed values
            ECDSASigner bc = new ECDSASigner();
            bc.init(false, bcKey);
            boolean bcOk = bc.verifySignature(hash, r, s);
            if (ecdsaOk != bcOk) {
                tally.mismatches.add("tcId " + tcId + ": Ecdsa.verify=" + ecdsaOk + " but Bouncy Castle=" + bcOk);
            }
            lowSOk = lowSAccepted(r, s);
            if (ecdsaOk && !lowSOk && "valid".equals(result)) {
                tally.highSValid++;
            }
            if (bitcoin && ecdsaOk && !lowSOk) {
                tally.rejectedOnlyByLowS++;
            }
        }
        boolean ours = bitcoin ? ecdsaOk && lowSOk : ecdsaOk;
        switch (result) {
            case "valid", "invalid" -> {
                boolean expected = "valid".equals(result);
                if (ours != expected) {
                    tally.mismatches.add("tcId " + tcId + " (" + test.path("comment").asText() + ", flags "
                            + test.path("flags") + "): expected " + result + ", we " + (ours ? "accept" : "reject"));
                }
            }
            case "acceptable" -> {
                // Our policy for "acceptable": strict DER + Ecdsa.verify (+ low-s for Bitcoin), which must agree
                // with Bouncy Castle on the same strictly parsed values (checked above); nothing more to assert.
            }
            default -> tally.mismatches.add("tcId " + tcId + ": unknown result " + result);
        }
    }

    private static void count(Tally tally, String result) {
        switch (result) {
            case "valid" -> tally.valid++;
            case "invalid" -> tally.invalid++;
            case "acceptable" -> tally.acceptable++;
            default -> { }
        }
    }

    /** Our low-s rule: the EcdsaSignature constructor (recovery id is irrelevant here). */
    private static boolean lowSAccepted(BigInteger r, BigInteger s) {
        try {
            new EcdsaSignature(r, s, 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The group key via our strict decoder, from its compressed form built from wx/wy; the decoded point must
     * re-encode to the given uncompressed key. Null if our decoder rejects it.
     */
    private static Point decodeKey(JsonNode pk) {
        BigInteger wx = new BigInteger(1, Bytes.fromHex(pk.path("wx").asText()));
        BigInteger wy = new BigInteger(1, Bytes.fromHex(pk.path("wy").asText()));
        byte[] uncompressed = Bytes.fromHex(pk.path("uncompressed").asText());
        if (wx.bitLength() > 256 || wy.bitLength() > 256) {
            return null;
        }
        byte[] compressed = Bytes.concat(new byte[] {(byte) (wy.testBit(0) ? 3 : 2)}, Bytes.fixedWidth(wx, 32));
        Point q;
        try {
            q = Point.decode(compressed);
        } catch (IllegalArgumentException e) {
            return null;
        }
        assertArrayEquals(uncompressed, q.encodeUncompressed(), "decoded key must equal the uncompressed key");
        assertArrayEquals(compressed, q.encode(), "compressed round trip");
        return q;
    }

    /** Strict DER SEQUENCE { INTEGER r, INTEGER s }; null for anything else (BER, trailing bytes, wrong types). */
    static BigInteger[] strictDer(byte[] sig) {
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(sig);
            if (!(p instanceof ASN1Sequence seq) || seq.size() != 2
                    || !(seq.getObjectAt(0) instanceof ASN1Integer r)
                    || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
                return null;
            }
            if (!Arrays.equals(sig, seq.getEncoded(ASN1Encoding.DER))) {
                return null;
            }
            return new BigInteger[] {r.getValue(), s.getValue()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static JsonNode load(String file) {
        String resource = DIR + file;
        try (InputStream in = EcdsaWycheproofTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing Wycheproof vector file on the test classpath: " + resource
                        + " (expected under shared-crypto/src/test/resources/; see the README there)");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read Wycheproof vector file " + resource, e);
        }
    }
}
