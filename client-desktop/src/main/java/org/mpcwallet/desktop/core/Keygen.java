package org.mpcwallet.desktop.core;

import java.util.function.Consumer;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The device's side of a wallet's key generation, shared by the command line and the window: the KEYGEN session over
 * the channel, the share sealed with the wallet secret to {@code <walletId>.vault} before K4 leaves (so the bank
 * marks the wallet ACTIVE only when the device holds its share). The result comes with the first top-up of the
 * wallet's presignature pool (the share and its pool key are at hand), for the caller to run once the user has it.
 */
public final class Keygen {
    private Keygen() {
    }

    /** The keygen's verified result and the top-up of the new wallet's presignatures. */
    public record Created(KeygenDriver.Result result, PoolTopUp topUp) {}

    /**
     * Runs the keygen of the bank's PENDING_KEYGEN wallet {@code walletId}; {@code walletSecret} comes from
     * {@link VaultSecrets#sealingSecret}; {@code progress} hears the session's steps. The caller has just used the
     * access token (creating or reading the wallet), so it is fresh for the upgrade request.
     */
    public static Created run(BankApi api, String walletId, VaultSecrets vaults, char[] walletSecret,
            ProvenRingPedersen deviceParams, Consumer<DeviceSession.Progress> progress) {
        ShareStore.requireWalletId(walletId);
        P2KeyShare[] share = {null};
        byte[][] poolKey = {null};
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), MpcChannel.CONNECT_TIMEOUT)) {
            ch.onProgress(progress);
            KeygenDriver.Result r = ch.keygen(walletId, s -> {
                poolKey[0] = vaults.saveNew(walletId, s, walletSecret);
                share[0] = s;
            }, deviceParams, MpcChannel.DEFAULT_SESSION_TIMEOUT);
            return new Created(r, new PoolTopUp(api, vaults.pool(), walletId, share[0], poolKey[0],
                    vaults.notices()));
        } catch (RuntimeException e) {
            Bytes.wipe(poolKey[0]);
            throw e;
        }
    }
}
