package org.mpcwallet.web.vault;

import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.ProtocolException;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultFailureKind;
import org.mpcwallet.crypto.vault.VaultField;
import org.mpcwallet.crypto.vault.Utf8;
import org.teavm.jso.JSObject;
import org.teavm.jso.typedarrays.Int8Array;

/**
 * The device's sealed presignatures (docs/vault-format.md section 13) in the browser: AES-256-GCM in WebCrypto
 * under the wallet's non-extractable pool key ({@link WebCryptoVault#openWithPool} / {@link
 * WebCryptoVault#sealWithPool}), everything else by shared-crypto's {@link PresignatureRecords} (the header as
 * associated data, the record layout, the strict parse). {@link #open} makes the checks of
 * {@link PresignatureRecords#open} in the same order with the same failure kinds, so a record sealed here opens on
 * the JVM and the other way round. Coroutines (WebCrypto's promises): call them from a TeaVM thread.
 */
public final class WebCryptoPool {
    private WebCryptoPool() {}

    /** One record holding {@code presignature}, under {@code poolKey}, with a fresh nonce from {@code rng}. */
    public static byte[] seal(JSObject poolKey, String walletId, P2Presignature presignature, RandomSource rng) {
        byte[] nonce = new byte[ShareVault.NONCE_BYTES];
        rng.nextBytes(nonce);
        byte[] aad = PresignatureRecords.header(walletId, presignature.keyFingerprint(), presignature.id(), nonce);
        byte[] plain = presignature.encode();
        Int8Array js = Int8Array.copyFromJavaArray(plain);
        Bytes.wipe(plain); // the JS copy is zeroed by encrypt once WebCrypto holds its own
        Int8Array sealed = SubtleCrypto.encrypt(poolKey, Int8Array.copyFromJavaArray(nonce),
                Int8Array.copyFromJavaArray(aad), js).await();
        return PresignatureRecords.record(aad, sealed.copyToJavaArray());
    }

    /**
     * Opens one record: the strict parse, the wallet id and key fingerprint (WRONG_WALLET_OR_ROLE, before any
     * decryption), the tag (WRONG_PASSWORD_OR_TAMPERED: modified, or sealed under another envelope's pool key), then
     * the presignature's own decoding, whose id and fingerprint must be the header's.
     */
    public static Result<P2Presignature, VaultFailure> open(JSObject poolKey, byte[] record, String expectedWalletId,
            byte[] expectedFingerprint) {
        Result<PresignatureRecords.Parsed, VaultFailure> parsed = PresignatureRecords.parse(record);
        if (!parsed.isOk()) {
            return Result.err(parsed.failure());
        }
        PresignatureRecords.Parsed p = parsed.value();
        if (!Bytes.constantTimeEquals(Utf8.encode(p.walletId(), "wallet id"),
                Utf8.encode(expectedWalletId, "wallet id"))) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, VaultField.WALLET_ID,
                    "presignature record belongs to another wallet"));
        }
        if (!Bytes.constantTimeEquals(p.keyFingerprint(), expectedFingerprint)) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_WALLET_OR_ROLE, null,
                    "presignature record belongs to another key (an earlier refresh)"));
        }
        Int8Array plain = SubtleCrypto.decrypt(poolKey, Int8Array.copyFromJavaArray(p.nonce()),
                Int8Array.copyFromJavaArray(p.aad()), Int8Array.copyFromJavaArray(p.sealed())).await();
        if (plain == null) {
            return Result.err(new VaultFailure(VaultFailureKind.WRONG_PASSWORD_OR_TAMPERED, null,
                    "presignature record does not open under this vault's pool key"));
        }
        return decoded(SubtleCrypto.takeBytes(plain), p);
    }

    private static Result<P2Presignature, VaultFailure> decoded(byte[] plain, PresignatureRecords.Parsed p) {
        try {
            P2Presignature presignature = P2Presignature.decode(plain);
            if (!Bytes.constantTimeEquals(presignature.id(), p.presignatureId())
                    || !Bytes.constantTimeEquals(presignature.keyFingerprint(), p.keyFingerprint())) {
                return Result.err(new VaultFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT,
                        "presignature does not match its record's header"));
            }
            return Result.ok(presignature);
        } catch (ProtocolException e) {
            return Result.err(new VaultFailure(VaultFailureKind.MALFORMED, VaultField.CIPHERTEXT,
                    "sealed presignature does not decode"));
        } finally {
            Bytes.wipe(plain);
        }
    }
}
