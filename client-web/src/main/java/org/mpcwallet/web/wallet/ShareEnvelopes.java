package org.mpcwallet.web.wallet;

import static org.mpcwallet.web.wallet.DeviceJson.failure;
import static org.mpcwallet.web.wallet.DeviceJson.ok;
import static org.mpcwallet.web.wallet.DeviceJson.str;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * What {@link DeviceCore} does with the sealed envelopes of P2's share outside an operation, over its
 * {@link DeviceCore.Vault}: opening one to check it (before a backup, to restore one), sealing its share a second time
 * under another secret (a passkey, the bank's copy's recovery code) and recovering the bank's copy under a new wallet
 * secret; and the {@link #unseal} the co-signature and the refresh start with. Every secret passed in is zeroed before
 * a method returns, the plaintext share bytes are wiped, and an opened share is dropped at once (or handed to the
 * caller, for an operation); answers carry envelopes, addresses and epochs, never a secret.
 */
final class ShareEnvelopes {
    private final DeviceCore.Vault vault;

    ShareEnvelopes(DeviceCore.Vault vault) {
        this.vault = vault;
    }

    /**
     * Checks that {@code envelopeHex} opens with {@code walletSecret} as wallet {@code walletId}'s share and holds a
     * key whose address is {@code expectedAddress} (the bank's address of the wallet; null skips that check):
     * {@code {"ok":true,"address","epoch"}} or {@code WRONG_SECRET} / {@code NO_SHARE} / {@code WRONG_WALLET}. Used before
     * a backup (the user shows they know the secret the file needs) and to restore one. The share is dropped at once.
     */
    String checkShare(String envelopeHex, String walletId, String expectedAddress, char[] walletSecret) {
        Unsealed u = unseal(envelopeHex, walletId, walletSecret,
                expectedAddress == null || expectedAddress.isEmpty() ? null : expectedAddress);
        if (u.failure() != null) {
            return u.failure();
        }
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("address", str(u.address()));
        m.put("epoch", new Json.Num(Integer.toString(u.share().epoch())));
        return ok(m);
    }

    /**
     * Seals the share of {@code envelopeHex} (opened with {@code walletSecret}) a second time, under
     * {@code newSecret}: a passkey's PRF output (docs/client-web.md "Passkeys") or a generated recovery code for the
     * copy the bank keeps ("The bank's copy"): {@code {"ok":true,"envelope":hex,"address","epoch"}} or
     * {@code WRONG_SECRET} / {@code NO_SHARE}. The first envelope is not changed; the share is dropped at once.
     */
    String reseal(String envelopeHex, String walletId, char[] walletSecret, char[] newSecret) {
        return reseal(envelopeHex, walletId, null, walletSecret, newSecret, 16);
    }

    /**
     * Opens the bank's copy of the share ({@code envelopeHex}, sealed under the recovery code) and seals it under the
     * wallet secret the user chose in this browser; the share's address must be the bank's address of the wallet:
     * {@code {"ok":true,"envelope":hex,"address","epoch"}} or {@code WRONG_SECRET} (a wrong recovery code) /
     * {@code NO_SHARE} / {@code WRONG_WALLET}.
     */
    String recover(String envelopeHex, String walletId, String expectedAddress, char[] recoveryCode,
            char[] newWalletSecret) {
        return reseal(envelopeHex, walletId, expectedAddress == null || expectedAddress.isEmpty() ? null
                : expectedAddress, recoveryCode, newWalletSecret, 12);
    }


    private String reseal(String envelopeHex, String walletId, String expectedAddress, char[] openWith,
            char[] sealWith, int minLength) {
        try {
            return resealed(envelopeHex, walletId, expectedAddress, openWith, sealWith, minLength);
        } finally {
            if (sealWith != null) {
                java.util.Arrays.fill(sealWith, '\0');
            }
        }
    }

    // (one try block per method: TeaVM 0.15 WasmGC emitted an invalid branch for a return of a value built in a
    // try/finally nested in another try/finally here; TEAVM-NOTES.md)
    private String resealed(String envelopeHex, String walletId, String expectedAddress, char[] openWith,
            char[] sealWith, int minLength) {
        if (sealWith == null || sealWith.length < minLength) {
            if (openWith != null) {
                java.util.Arrays.fill(openWith, '\0');
            }
            return failure("BAD_REQUEST", "the new secret is too short (at least " + minLength + " characters)");
        }
        Unsealed u = unseal(envelopeHex, walletId, openWith, expectedAddress);
        if (u.failure() != null) {
            return u.failure();
        }
        byte[] envelope = sealAndWipe(sealWith, walletId, u.share().encode());
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("envelope", str(Bytes.toHex(envelope)));
        m.put("address", str(u.address()));
        m.put("epoch", new Json.Num(Integer.toString(u.share().epoch())));
        return ok(m);
    }

    private byte[] sealAndWipe(char[] secret, String walletId, byte[] plain) {
        try {
            return vault.seal(secret, walletId, plain);
        } finally {
            Bytes.wipe(plain);
        }
    }

    /** A share opened from its envelope, with its address; or the failure answer (JSON) and no share. */
    record Unsealed(P2KeyShare share, String address, String failure, PoolKey pool) {
        static Unsealed failed(String answer) {
            return new Unsealed(null, null, answer, null);
        }
    }

    /**
     * Opens {@code envelopeHex} as wallet {@code walletId}'s share with {@code secret} (zeroed here), decodes it and,
     * when {@code expectedAddress} is not null, checks that the share's address is that one (the bank's address of
     * the wallet). The plaintext bytes are wiped before this returns; failures are {@code WRONG_SECRET},
     * {@code NO_SHARE} and {@code WRONG_WALLET}, never naming a secret.
     */
    Unsealed unseal(String envelopeHex, String walletId, char[] secret, String expectedAddress) {
        return unseal(envelopeHex, walletId, secret, expectedAddress, false);
    }

    /**
     * {@link #unseal(String, String, char[], String)}; with {@code withPool} the same key derivation also yields the
     * wallet's presignature pool key (null when the vault keeps no pool).
     */
    Unsealed unseal(String envelopeHex, String walletId, char[] secret, String expectedAddress, boolean withPool) {
        try {
            if (secret == null || secret.length == 0) {
                return Unsealed.failed(failure("WRONG_SECRET", "enter your wallet secret"));
            }
            byte[] envelope;
            try {
                envelope = Bytes.fromHex(envelopeHex);
            } catch (RuntimeException e) {
                return Unsealed.failed(failure("NO_SHARE", "this browser holds no readable key share of the wallet "
                        + "(restore your backup)"));
            }
            Result<DeviceCore.Vault.Unlocked, VaultFailure> opened = withPool
                    ? vault.openWithPool(secret, envelope, walletId)
                    : DeviceCore.Vault.Unlocked.of(vault.open(secret, envelope, walletId));
            if (!opened.isOk()) {
                return Unsealed.failed(failure("WRONG_SECRET", "wrong wallet secret, or the key share was modified"));
            }
            byte[] plain = opened.value().share();
            P2KeyShare share;
            try {
                share = P2KeyShare.decodeFromVault(plain);
            } catch (RuntimeException e) {
                return Unsealed.failed(failure("NO_SHARE", "the key share does not decode (restore your backup)"));
            } finally {
                Bytes.wipe(plain);
            }
            String address = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex();
            if (expectedAddress != null && !address.equalsIgnoreCase(expectedAddress)) {
                return Unsealed.failed(failure("WRONG_WALLET", "the bank's address of this wallet (" + expectedAddress
                        + ") is not the address of this key share (" + address + "); refusing to use it"));
            }
            return new Unsealed(share, address, null, opened.value().pool());
        } finally {
            if (secret != null) {
                java.util.Arrays.fill(secret, '\0');
            }
        }
    }
}
