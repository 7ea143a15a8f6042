package org.mpcwallet.crypto.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.ec.Secp256k1;
import org.mpcwallet.crypto.protocol.sign.OnlineP2;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.testing.Fixtures;
import org.mpcwallet.crypto.testing.Protocols;
import org.mpcwallet.crypto.testing.TwoPartyNetwork.Hook;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Honest runs of every protocol, with the outputs cross-checked against Bouncy Castle and web3j. */
class ProtocolRoundTripTest {
    private static Fixtures.Keys keys;

    @BeforeAll
    static void keygen() {
        keys = Fixtures.keygen("roundtrip");
    }

    @Test
    void keygenGivesBothPartiesTheSameKeyAndNoOneTheWholeSecret() {
        P1KeyShare p1 = keys.p1();
        P2KeyShare p2 = keys.p2();
        assertEquals(p1.publicKey(), p2.publicKey());
        assertEquals(p1.q1(), p2.q1());
        assertEquals(p1.q2(), p2.q2());
        assertEquals(Point.mulG(p1.x1().multiply(p2.x2()).mod(Secp256k1.N)), p1.publicKey(), "Q = x1·x2·G");
        assertArrayEquals(p1.fingerprint(), p2.fingerprint());
        assertEquals(2048, p1.paillierPublicKey().n().bitLength());
        assertEquals(p1.cKey(), p2.cKey());
        assertEquals(p1.x1(), p1.paillier().decrypt(p2.cKey(), org.mpcwallet.crypto.core.ModPow.JAVA),
                "c_key encrypts x1");
    }

    @Test
    void fourMessageSigningProducesSignaturesThatBouncyCastleAndWeb3jAccept() {
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        String address = Keys.toChecksumAddress(Keys.getAddress(new BigInteger(1,
                java.util.Arrays.copyOfRange(keys.p1().publicKey().encodeUncompressed(), 1, 65))));
        for (int i = 0; i < 12; i++) {
            byte[] hash = Fixtures.hash("sign-" + i);
            Protocols.Outcome<EcdsaSignature, SignP2.Sent> o = Protocols.sign(holder, keys.p2(),
                    Fixtures.sid("sign-" + i), hash, hash, Fixtures.env("s1-" + i), Fixtures.env("s2-" + i),
                    Hook.honest());
            assertNull(o.p1().failure(), () -> String.valueOf(o.p1().failure()));
            assertNull(o.p2().failure(), () -> String.valueOf(o.p2().failure()));
            EcdsaSignature sig = o.p1().result();
            assertEquals(sig.r(), o.p2().result().r(), "P2 knows r");
            assertEquals(4, o.run().sent().size(), "four messages");
            assertTrue(sig.s().compareTo(Secp256k1.HALF_N) <= 0, "low-s");
            assertTrue(bouncyCastleVerifies(hash, sig, keys.p1().publicKey()));
            Sign.SignatureData data = new Sign.SignatureData((byte) (27 + sig.recoveryId()),
                    Bytes.fixedWidth(sig.r(), 32), Bytes.fixedWidth(sig.s(), 32));
            BigInteger recovered = assertDoesNotThrowRecover(hash, data);
            assertEquals(address, Keys.toChecksumAddress(Keys.getAddress(recovered)), "web3j recovers the 2PC address");
        }
        assertFalse(holder.locked());
    }

    private static BigInteger assertDoesNotThrowRecover(byte[] hash, Sign.SignatureData data) {
        try {
            return Sign.signedMessageHashToKey(hash, data);
        } catch (java.security.SignatureException e) {
            throw new AssertionError("web3j could not recover a key", e);
        }
    }

    static boolean bouncyCastleVerifies(byte[] hash, EcdsaSignature sig, Point q) {
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
        ECDomainParameters dp = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(x9.getCurve().decodePoint(q.encode()), dp));
        return verifier.verifySignature(hash, sig.r(), sig.s());
    }

    @Test
    void presignaturesThenOneMessageOnlineSigning() {
        P1KeyHolder holder = new P1KeyHolder(keys.p1());
        for (int i = 0; i < 3; i++) {
            Protocols.Outcome<org.mpcwallet.crypto.protocol.sign.P1Presignature, P2Presignature> pre =
                    Protocols.presign(holder, keys.p2(), Fixtures.sid("pre-" + i), Fixtures.env("pre1-" + i),
                            Fixtures.env("pre2-" + i), Hook.honest());
            assertNull(pre.p1().failure(), () -> String.valueOf(pre.p1().failure()));
            assertNull(pre.p2().failure(), () -> String.valueOf(pre.p2().failure()));
            assertEquals(pre.p1().result().bigR(), pre.p2().result().bigR());
        }
        List<String> ids = holder.presignatureIds();
        assertEquals(3, ids.size());
        // P2 keeps its halves by id; here we regenerate the mapping from the run above.
        for (int i = 0; i < 3; i++) {
            // a new pair per message so both halves are at hand
            Protocols.Outcome<org.mpcwallet.crypto.protocol.sign.P1Presignature, P2Presignature> pre =
                    Protocols.presign(holder, keys.p2(), Fixtures.sid("pre-b-" + i), Fixtures.env("preb1-" + i),
                            Fixtures.env("preb2-" + i), Hook.honest());
            P2Presignature mine = P2Presignature.decode(pre.p2().result().encode());
            byte[] hash = Fixtures.hash("online-" + i);
            OnlineP2.Result o1 = OnlineP2.encrypt(keys.p2(), mine, hash, Fixtures.env("online-p2"));
            assertNull(o1.failure());
            Step<Void, EcdsaSignature> done = holder.online(mine.idHex(), hash, o1.outbound(), Fixtures.env("on-" + i));
            assertTrue(done instanceof Step.Done, () -> "online failed: " + done);
            EcdsaSignature sig = ((Step.Done<Void, EcdsaSignature>) done).result();
            assertTrue(bouncyCastleVerifies(hash, sig, keys.p1().publicKey()));
            assertFalse(holder.presignatureIds().contains(mine.idHex()), "consumed");
        }
        assertEquals(3, holder.presignatureIds().size(), "the first three are still unused");
    }

    @Test
    void refreshKeepsTheKeyAndAddressAndVoidsOldShares() {
        Protocols.Outcome<P1KeyShare, P2KeyShare> r = Protocols.refresh(keys.p1(), keys.p2(), Fixtures.sid("refresh"),
                Fixtures.env("r1"), Fixtures.env("r2"), Hook.honest());
        assertNull(r.p1().failure(), () -> String.valueOf(r.p1().failure()));
        assertNull(r.p2().failure(), () -> String.valueOf(r.p2().failure()));
        P1KeyShare n1 = r.p1().result();
        P2KeyShare n2 = r.p2().result();
        assertEquals(keys.p1().publicKey(), n1.publicKey());
        assertEquals(keys.p1().publicKey(), n2.publicKey());
        assertEquals(1, n1.epoch());
        assertEquals(1, n2.epoch());
        assertNotEquals(keys.p1().x1(), n1.x1());
        assertNotEquals(keys.p2().x2(), n2.x2());
        assertNotEquals(keys.p1().paillierPublicKey().n(), n1.paillierPublicKey().n(), "fresh Paillier key");
        assertNotEquals(keys.p1().publicKey(), Point.mulG(keys.p1().x1().multiply(n2.x2()).mod(Secp256k1.N)),
                "old P1 share with new P2 share is useless");
        byte[] hash = Fixtures.hash("after-refresh");
        P1KeyHolder holder = new P1KeyHolder(n1);
        Protocols.Outcome<EcdsaSignature, SignP2.Sent> o = Protocols.sign(holder, n2, Fixtures.sid("after-refresh"),
                hash, hash, Fixtures.env("ar1"), Fixtures.env("ar2"), Hook.honest());
        assertNull(o.p1().failure(), () -> String.valueOf(o.p1().failure()));
        assertTrue(bouncyCastleVerifies(hash, o.p1().result(), keys.p1().publicKey()));
        // old P2 share against the new P1 share: refused before any decryption (fingerprints differ)
        Protocols.Outcome<EcdsaSignature, SignP2.Sent> mixed = Protocols.sign(new P1KeyHolder(n1), keys.p2(),
                Fixtures.sid("mixed"), hash, hash, Fixtures.env("m1"), Fixtures.env("m2"), Hook.honest());
        assertNotNull(mixed.p1().failure());
    }

    @Test
    void aRandomSourceThatCannotDeliverAbortsWithRandomnessUnavailableBlamingNobody() {
        Env broken = new Env(out -> {
            throw new IllegalStateException("crypto.getRandomValues is unavailable");
        }, org.mpcwallet.crypto.core.ModPow.JAVA);
        Step<?, ?> k = org.mpcwallet.crypto.protocol.keygen.KeygenP1.start(Fixtures.sid("no-rng"), Fixtures.bankParams(), broken);
        org.mpcwallet.crypto.core.ProtocolFailure f = ((Step.Aborted<?, ?>) k).failure();
        assertEquals(FailureKind.RANDOMNESS_UNAVAILABLE, f.kind());
        assertNull(f.culprit());
        Step<?, ?> s = new P1KeyHolder(keys.p1()).signStart(Fixtures.sid("no-rng-sign"), Fixtures.hash("x"), broken);
        assertEquals(FailureKind.RANDOMNESS_UNAVAILABLE, ((Step.Aborted<?, ?>) s).failure().kind());
    }

    @Test
    void sharesRoundTripThroughTheirStorageEncodings() {
        P1KeyShare p1 = P1KeyShare.decode(keys.p1().encode());
        assertArrayEquals(keys.p1().fingerprint(), p1.fingerprint());
        P2KeyShare p2 = P2KeyShare.decodeFromVault(keys.p2().encode());
        assertArrayEquals(keys.p2().fingerprint(), p2.fingerprint());
        assertFalse(p1.toString().contains(keys.p1().x1().toString(16)));
        assertFalse(p2.toString().contains(keys.p2().x2().toString(16)));
        assertEquals(FailureKind.MALFORMED_MESSAGE, org.junit.jupiter.api.Assertions.assertThrows(
                org.mpcwallet.crypto.core.ProtocolException.class,
                () -> P1KeyShare.decode(Bytes.concat(keys.p1().encode(), new byte[1]))).failure().kind());
    }
}
