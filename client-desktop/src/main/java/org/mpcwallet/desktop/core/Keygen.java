package org.mpcwallet.desktop.core;

import java.util.function.Consumer;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The device's side of a wallet's key generation, shared by the command line and the window: the KEYGEN session over
 * the channel, the share sealed with the wallet secret to {@code <walletId>.vault} before K4 leaves (so the bank
 * marks the wallet ACTIVE only when the device holds its share).
 */
public final class Keygen {
    private Keygen() {
    }

    /**
     * Runs the keygen of the bank's PENDING_KEYGEN wallet {@code walletId}; {@code walletSecret} comes from
     * {@link VaultSecrets#sealingSecret}; {@code progress} hears the session's steps. The caller has just used the
     * access token (creating or reading the wallet), so it is fresh for the upgrade request.
     */
    public static KeygenDriver.Result run(BankApi api, String walletId, VaultSecrets vaults, char[] walletSecret,
            ProvenRingPedersen deviceParams, Consumer<DeviceSession.Progress> progress) {
        ShareStore.requireWalletId(walletId);
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), MpcChannel.CONNECT_TIMEOUT)) {
            ch.onProgress(progress);
            return ch.keygen(walletId, share -> vaults.saveNew(walletId, share, walletSecret), deviceParams,
                    MpcChannel.DEFAULT_SESSION_TIMEOUT);
        }
    }
}
