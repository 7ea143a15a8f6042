package org.mpcwallet.desktop.core;

import java.util.List;
import java.util.function.Consumer;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The device's side of a key refresh an administrator authorized (docs/client-desktop.md "Refresh"), shared by the
 * command line and the window: the current share (the bank's epoch decides, {@link CoSigning#currentShares}), the
 * bank's address checked against it, the new share (same Q, next epoch) sealed to {@code <walletId>.vault.next}
 * before R4 leaves, and after the bank's {@code done} renamed over {@code <walletId>.vault}. If anything fails the
 * old file stays; a failure after the new share was sealed says where it is kept. The wallet's presignatures are of
 * the old key and are discarded when the new share is sealed; the result comes with the top-up for the new share.
 */
public final class KeyRefresh {
    private final ShareStore shares;
    private final VaultSecrets vaults;
    private final CoSigning cosigning;
    private final Consumer<String> said;

    public KeyRefresh(ShareStore shares, VaultSecrets vaults, CoSigning cosigning, Consumer<String> said) {
        this.shares = shares;
        this.vaults = vaults;
        this.cosigning = cosigning;
        this.said = said;
    }

    /** The refresh's verified result and the top-up of the wallet's presignatures with the new share. */
    public record Refreshed(RefreshDriver.Result result, PoolTopUp topUp) {}

    /** Runs the refresh of {@code walletId}; {@code progress} hears the session's steps. */
    public Refreshed run(BankApi api, String walletId, DeviceSecrets secrets,
            ProvenRingPedersen deviceParams, Consumer<DeviceSession.Progress> progress) {
        if (!cosigning.holdsShare(walletId)) {
            throw new WalletException("this device holds no share for wallet " + walletId
                    + " (restore a backup first)");
        }
        List<ShareSelection.Candidate> candidates = cosigning.currentShares(api, walletId, secrets);
        candidates.forEach(c -> Bytes.wipe(c.poolKey()));
        if (candidates.size() > 1) {
            throw new WalletException("cannot tell which share of wallet " + walletId + " is current: the bank "
                    + "does not report the key's epoch and this device holds " + shares.file(walletId)
                    + " (epoch " + candidates.get(0).share().epoch() + ") and " + shares.nextFile(walletId)
                    + " (epoch " + candidates.get(1).share().epoch() + "); co-sign a transaction first (it "
                    + "settles which one the bank accepts), then refresh");
        }
        P2KeyShare current = candidates.get(0).share();
        CoSigning.requireBankAddress(api, walletId, current);
        api.me(); // refreshes the access token if needed before the upgrade request
        said.accept("refreshing the key of wallet " + walletId + " with the bank (epoch " + current.epoch() + " -> "
                + (current.epoch() + 1) + ")");
        boolean[] sealed = {false};
        P2KeyShare[] fresh = {null};
        byte[][] poolKey = {null};
        char[] walletSecret = vaults.sealingSecret(secrets);
        RefreshDriver.Result r;
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), MpcChannel.CONNECT_TIMEOUT)) {
            ch.onProgress(progress);
            r = ch.refresh(walletId, current, share -> {
                poolKey[0] = vaults.saveNext(walletId, share, walletSecret);
                fresh[0] = share;
                sealed[0] = true;
                // from R4 on the old key's presignatures are of no use (the bank drops its halves at `done`); a
                // refresh the bank refused before this point keeps them
                vaults.pool().discard(walletId);
            }, deviceParams, MpcChannel.DEFAULT_SESSION_TIMEOUT);
        } catch (MpcException e) {
            Bytes.wipe(poolKey[0]);
            if (!sealed[0]) {
                throw e;
            }
            throw new MpcException(e.code(), (e.detail() == null ? "" : e.detail() + "; ")
                    + "the new share is kept in " + shares.nextFile(walletId) + " and " + shares.file(walletId)
                    + " is unchanged; the next sign or refresh asks the bank which one is current");
        }
        shares.promoteNext(walletId);
        return new Refreshed(r, new PoolTopUp(api, vaults.pool(), walletId, fresh[0], poolKey[0], vaults.notices()));
    }
}
