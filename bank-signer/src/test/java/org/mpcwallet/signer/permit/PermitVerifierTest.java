package org.mpcwallet.signer.permit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.signer.testing.TestKeys;

class PermitVerifierTest {
    private static final long NOW = 1_795_000_000_000L;
    private static final String KEYSET = "keyset-1";
    private static final KeyPair ORCHESTRATOR = PermitKeys.generate(TestKeys.random("orchestrator"));
    private static final KeyPair IMPOSTOR = PermitKeys.generate(TestKeys.random("impostor"));
    private static final PermitSigner SIGNER = new PermitSigner(ORCHESTRATOR.getPrivate());
    private static final Eip1559Transaction TX = TestKeys.tx(7);

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final InMemoryNonceLedger ledger = new InMemoryNonceLedger(clock);
    private final PermitVerifier verifier = new PermitVerifier(ORCHESTRATOR.getPublic(), clock, ledger);

    private static byte[] nonce(int b) {
        byte[] n = new byte[16];
        Arrays.fill(n, (byte) b);
        return n;
    }

    private static byte[] auditHead() {
        byte[] h = new byte[32];
        Arrays.fill(h, (byte) 0xa5);
        return h;
    }

    private static SigningPermit permit(long issuedAt, long expiresAt) {
        return SigningPermit.forTransaction("req-1", "wallet-1", KEYSET, TX, issuedAt, expiresAt, nonce(1),
                TestKeys.controls(), auditHead());
    }

    private static SigningPermit valid() {
        return permit(NOW - 1_000, NOW + 29_000);
    }

    private Result<VerifiedPermit, PermitFailure> verify(SigningPermit p) {
        return verifier.verify(p.encode(), SIGNER.sign(p), KEYSET);
    }

    private static PermitFailureKind kind(Result<VerifiedPermit, PermitFailure> r) {
        assertFalse(r.isOk(), "must be refused");
        return r.failure().kind();
    }

    @Test
    void validPermitVerifiesAndYieldsTheRecomputedHash() {
        Result<VerifiedPermit, PermitFailure> r = verify(valid());
        assertTrue(r.isOk(), r::toString);
        assertArrayEquals(TX.signingHash(), r.value().signingHash());
        assertEquals(valid(), r.value().permit());
        assertEquals(1, ledger.size());
    }

    @Test
    void encodingRoundTripsAndIsCanonical() {
        SigningPermit p = valid();
        byte[] enc = p.encode();
        assertEquals(1, enc[0]);
        SigningPermit back = SigningPermit.decode(enc);
        assertArrayEquals(enc, back.encode());
        assertEquals(TestKeys.controls(), back.controls());
        assertEquals(p.issuedAt(), back.issuedAt());
        assertArrayEquals(p.nonce(), back.nonce());
    }

    @Test
    void expired() {
        assertEquals(PermitFailureKind.EXPIRED, kind(verify(permit(NOW - 30_000, NOW))));
        assertEquals(PermitFailureKind.EXPIRED, kind(verify(permit(NOW - 60_000, NOW - 1))));
        assertTrue(verify(permit(NOW - 30_000, NOW + 1)).isOk());
    }

    @Test
    void issuedInTheFutureBeyondTheSkew() {
        assertEquals(PermitFailureKind.NOT_YET_VALID, kind(verify(permit(NOW + 5_001, NOW + 30_000))));
        assertTrue(verify(permit(NOW + 5_000, NOW + 30_000)).isOk(), "within 5 s skew");
    }

    @Test
    void lifetimeOf61SecondsIsTooLong() {
        assertEquals(PermitFailureKind.LIFETIME_TOO_LONG, kind(verify(permit(NOW - 1_000, NOW + 60_000))));
        assertTrue(verify(permit(NOW - 1_000, NOW + 59_000)).isOk(), "exactly 60 s is allowed");
    }

    @Test
    void emptyOrNegativeLifetime() {
        assertEquals(PermitFailureKind.INVALID_LIFETIME, kind(verify(permit(NOW, NOW))));
        assertEquals(PermitFailureKind.INVALID_LIFETIME, kind(verify(permit(NOW + 1, NOW))));
    }

    @Test
    void forgedSignatureFromAnotherKey() {
        SigningPermit p = valid();
        byte[] forged = new PermitSigner(IMPOSTOR.getPrivate()).sign(p);
        assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(p.encode(), forged, KEYSET)));
        assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(p.encode(), new byte[64], KEYSET)));
        assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(p.encode(), new byte[63], KEYSET)));
        assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(p.encode(), null, KEYSET)));
        assertEquals(0, ledger.size(), "a refused permit burns no nonce");
    }

    @Test
    void signatureWithoutTheDomainTagIsRefused() throws Exception {
        SigningPermit p = valid();
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(ORCHESTRATOR.getPrivate());
        s.update(p.encode());
        assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(p.encode(), s.sign(), KEYSET)));
    }

    @Test
    void changingAnyFieldInvalidatesTheSignature() {
        SigningPermit p = valid();
        byte[] sig = SIGNER.sign(p);
        List<UnaryOperator<SigningPermit>> edits = List.of(
                x -> new SigningPermit("req-2", x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), x.nonce(), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), "wallet-2", x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), x.nonce(), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), "keyset-2", x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), x.nonce(), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), TestKeys.tx(8).signingPayload(),
                        x.signingHash(), x.issuedAt(), x.expiresAt(), x.nonce(), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(),
                        TestKeys.tx(8).signingHash(), x.issuedAt(), x.expiresAt(), x.nonce(), x.controls(),
                        x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt() + 1, x.expiresAt(), x.nonce(), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt() + 1, x.nonce(), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), nonce(2), x.controls(), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), x.nonce(), List.of(new SigningPermit.Control("kyt", "fail")),
                        x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), x.nonce(), reversed(x.controls()), x.auditHead()),
                x -> new SigningPermit(x.requestId(), x.walletId(), x.keysetId(), x.signingPayload(), x.signingHash(),
                        x.issuedAt(), x.expiresAt(), x.nonce(), x.controls(), new byte[32]));
        for (int i = 0; i < edits.size(); i++) {
            byte[] changed = edits.get(i).apply(p).encode();
            assertFalse(Arrays.equals(changed, p.encode()));
            assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(changed, sig, KEYSET)), "edit " + i);
        }
    }

    private static List<SigningPermit.Control> reversed(List<SigningPermit.Control> c) {
        List<SigningPermit.Control> r = new ArrayList<>(c);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    void everyFlippedByteOfTheEncodingIsMalformedOrBadSignature() {
        SigningPermit p = valid();
        byte[] enc = p.encode();
        byte[] sig = SIGNER.sign(p);
        for (int i = 0; i < enc.length; i++) {
            byte[] t = enc.clone();
            t[i] ^= 0x01;
            PermitFailureKind k = kind(verifier.verify(t, sig, KEYSET));
            assertTrue(k == PermitFailureKind.MALFORMED || k == PermitFailureKind.BAD_SIGNATURE, "byte " + i + ": " + k);
        }
        for (int i = 0; i < sig.length; i++) {
            byte[] t = sig.clone();
            t[i] ^= 0x01;
            assertEquals(PermitFailureKind.BAD_SIGNATURE, kind(verifier.verify(enc, t, KEYSET)), "sig byte " + i);
        }
        assertEquals(0, ledger.size());
    }

    @Test
    void malformedEncodings() {
        byte[] enc = valid().encode();
        for (int n = 0; n < enc.length; n++) {
            byte[] t = Arrays.copyOf(enc, n);
            assertEquals(PermitFailureKind.MALFORMED, kind(verifier.verify(t, SIGNER.signEncoding(t), KEYSET)));
        }
        byte[] trailing = Arrays.copyOf(enc, enc.length + 1);
        assertEquals(PermitFailureKind.MALFORMED,
                kind(verifier.verify(trailing, SIGNER.signEncoding(trailing), KEYSET)));
        byte[] v2 = enc.clone();
        v2[0] = 2;
        assertEquals(PermitFailureKind.MALFORMED, kind(verifier.verify(v2, SIGNER.signEncoding(v2), KEYSET)));
        assertEquals(PermitFailureKind.MALFORMED, kind(verifier.verify(null, new byte[64], KEYSET)));
    }

    @Test
    void permitForAnotherKeyset() {
        SigningPermit p = valid();
        assertEquals(PermitFailureKind.WRONG_KEYSET,
                kind(verifier.verify(p.encode(), SIGNER.sign(p), "keyset-2")));
    }

    @Test
    void hashNotMatchingThePayload() {
        SigningPermit p = new SigningPermit("req-1", "wallet-1", KEYSET, TX.signingPayload(),
                TestKeys.tx(8).signingHash(), NOW - 1_000, NOW + 29_000, nonce(1), TestKeys.controls(), auditHead());
        assertEquals(PermitFailureKind.HASH_MISMATCH, kind(verify(p)));
    }

    @Test
    void payloadThatIsNotAnEip1559TransactionWithAMatchingHash() {
        byte[] junk = {0x02, (byte) 0xc0};
        SigningPermit p = new SigningPermit("req-1", "wallet-1", KEYSET, junk, Keccak256.hash(junk), NOW - 1_000,
                NOW + 29_000, nonce(1), TestKeys.controls(), auditHead());
        assertEquals(PermitFailureKind.INVALID_TRANSACTION, kind(verify(p)));
    }

    @Test
    void aLegacyEip155PayloadIsAcceptedWithItsOwnHash() {
        LegacyTransaction legacy = new LegacyTransaction(TX.chainId(), TX.nonce(), TX.maxFeePerGas(), TX.gasLimit(),
                TX.to(), TX.value(), TX.data());
        SigningPermit p = SigningPermit.forTransaction("req-1", "wallet-1", KEYSET, legacy, NOW - 1_000, NOW + 29_000,
                nonce(1), TestKeys.controls(), auditHead());
        Result<VerifiedPermit, PermitFailure> r = verify(p);
        assertTrue(r.isOk(), r::toString);
        assertArrayEquals(legacy.signingHash(), r.value().signingHash());
    }

    @Test
    void otherTransactionTypesAndNonCanonicalLegacyPayloadsAreRefused() {
        byte[] accessListType = TX.signingPayload();
        accessListType[0] = 0x01; // EIP-2930: not a type the wallet signs
        byte[] blobType = TX.signingPayload();
        blobType[0] = 0x03; // EIP-4844
        // an EIP-155 payload whose r/s placeholders are not zero, i.e. a pre-signed shape
        LegacyTransaction legacy = new LegacyTransaction(TX.chainId(), TX.nonce(), TX.maxFeePerGas(), TX.gasLimit(),
                TX.to(), TX.value(), TX.data());
        byte[] legacyPayload = legacy.signingPayload();
        byte[] notEip155 = Arrays.copyOf(legacyPayload, legacyPayload.length);
        notEip155[notEip155.length - 1] = 0x01; // s placeholder 0x80 (zero) -> 0x01
        for (byte[] payload : List.of(accessListType, blobType, notEip155)) {
            SigningPermit p = new SigningPermit("req-1", "wallet-1", KEYSET, payload, Keccak256.hash(payload),
                    NOW - 1_000, NOW + 29_000, nonce(1), TestKeys.controls(), auditHead());
            assertEquals(PermitFailureKind.INVALID_TRANSACTION, kind(verify(p)));
        }
        assertEquals(0, ledger.size(), "a refused permit burns no nonce");
    }

    @Test
    void replayIsRefused() {
        SigningPermit p = valid();
        byte[] sig = SIGNER.sign(p);
        assertTrue(verifier.verify(p.encode(), sig, KEYSET).isOk());
        assertEquals(PermitFailureKind.REPLAYED, kind(verifier.verify(p.encode(), sig, KEYSET)));
        // another permit reusing the nonce is a replay too
        assertEquals(PermitFailureKind.REPLAYED, kind(verify(permit(NOW - 2_000, NOW + 20_000))));
    }

    @Test
    void aRefusedPermitDoesNotBurnItsNonce() {
        SigningPermit p = valid();
        byte[] sig = SIGNER.sign(p);
        assertEquals(PermitFailureKind.WRONG_KEYSET, kind(verifier.verify(p.encode(), sig, "other")));
        assertTrue(verifier.verify(p.encode(), sig, KEYSET).isOk());
    }

    @Test
    void ledgerForgetsNoncesOnlyWellAfterExpiry() {
        long[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        InMemoryNonceLedger l = new InMemoryNonceLedger(moving);
        assertTrue(l.consume(nonce(1), NOW + 10_000));
        assertFalse(l.consume(nonce(1), NOW + 10_000));
        now[0] = NOW + 10_000 + InMemoryNonceLedger.RETENTION_AFTER_EXPIRY_MILLIS;
        assertFalse(l.consume(nonce(1), NOW + 10_000), "still remembered at the retention boundary");
        now[0]++;
        assertTrue(l.consume(nonce(3), NOW + 100_000));
        assertEquals(1, l.size(), "expired nonce forgotten");
    }

    @Test
    void constructorAndKeyChecks() {
        assertThrows(IllegalArgumentException.class, () -> new SigningPermit("", "w", KEYSET, new byte[1],
                new byte[32], 0, 1, nonce(1), List.of(), auditHead()));
        assertThrows(IllegalArgumentException.class, () -> new SigningPermit("r", "w", KEYSET, new byte[1],
                new byte[31], 0, 1, nonce(1), List.of(), auditHead()));
        assertThrows(IllegalArgumentException.class, () -> new SigningPermit("r", "w", KEYSET, new byte[1],
                new byte[32], -1, 1, nonce(1), List.of(), auditHead()));
        assertEquals(ORCHESTRATOR.getPublic(), PermitKeys.publicKeyFromX509(ORCHESTRATOR.getPublic().getEncoded()));
        assertThrows(IllegalArgumentException.class, () -> PermitKeys.publicKeyFromX509(new byte[44]));
        assertFalse(SIGNER.toString().contains("Ed25519 private"));
    }
}
