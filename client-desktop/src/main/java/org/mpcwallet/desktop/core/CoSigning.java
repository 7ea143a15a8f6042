package org.mpcwallet.desktop.core;

import java.util.List;
import java.util.function.Consumer;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * The device's side of co-signing a checked transaction, shared by the command line and the window
 * (docs/client-desktop.md "Refresh", "cosign"): which of this device's shares of a wallet is current (the bank's
 * epoch decides between the {@code .vault} and a {@code .vault.next} a refresh left), that the bank's address of
 * the wallet is the address of that share, that a sweep pays a wallet whose share this device holds, and the SIGN
 * session over the channel with the fall-back to the other share when the bank reports no epoch. {@code said} hears
 * what the user should read (a share promoted, a share ignored).
 */
public final class CoSigning {
    private final ShareStore shares;
    private final VaultSecrets vaults;
    private final Consumer<String> said;

    public CoSigning(ShareStore shares, VaultSecrets vaults, Consumer<String> said) {
        this.shares = shares;
        this.vaults = vaults;
        this.said = said;
    }

    /** True when this device holds a share of the wallet (its {@code .vault} or a {@code .vault.next}). */
    public boolean holdsShare(String walletId) {
        return safeExists(walletId) || shares.hasNext(walletId);
    }

    /** {@link ShareStore#exists}, false for an id that is no valid wallet id. */
    public boolean safeExists(String walletId) {
        try {
            return shares.exists(walletId);
        } catch (WalletException e) {
            return false;
        }
    }

    /**
     * The wallet's shares to use, in order. With a {@code .vault.next} left by a refresh, the bank's epoch decides
     * which file is current; a {@code .next} the bank confirms is renamed over the {@code .vault} at once.
     */
    public List<ShareSelection.Candidate> currentShares(BankApi api, String walletId, DeviceSecrets secrets) {
        P2KeyShare vault = safeExists(walletId) ? vaults.openVault(walletId, secrets) : null;
        P2KeyShare next = null;
        if (shares.hasNext(walletId)) {
            try {
                next = vaults.openNext(walletId, secrets);
            } catch (WalletException e) {
                said.accept("ignoring " + shares.nextFile(walletId) + ": " + e.getMessage());
            }
        }
        if (next == null) {
            if (vault == null) {
                throw new WalletException("this device holds no share for wallet " + walletId
                        + " (restore a backup first)");
            }
            return List.of(new ShareSelection.Candidate(ShareSelection.Source.VAULT, vault));
        }
        KeyInfo key = api.keyInfo(walletId);
        List<ShareSelection.Candidate> candidates = ShareSelection.candidates(vault, next, key.publicKey(),
                key.epoch());
        if (candidates.isEmpty()) {
            throw new WalletException("no usable share for wallet " + walletId + ": " + shares.nextFile(walletId)
                    + " does not hold the bank's key (restore a backup)");
        }
        if (key.epoch() != null && candidates.get(0).source() == ShareSelection.Source.NEXT) {
            shares.promoteNext(walletId);
            said.accept("the bank's key is at epoch " + key.epoch() + ": " + shares.nextFile(walletId)
                    + " (left by a refresh) is now " + shares.file(walletId));
        }
        return candidates;
    }

    /** Refuses a wallet whose address at the bank is not the address of this device's share. */
    public static void requireBankAddress(BankApi api, String walletId, P2KeyShare share) {
        WalletInfo wallet = api.getWallet(walletId);
        String mine = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex();
        if (wallet.address() == null || !mine.equalsIgnoreCase(wallet.address())) {
            throw new WalletException("the bank's address of wallet " + walletId + " (" + wallet.address()
                    + ") is not the address of this device's share (" + mine + "); refusing to use it");
        }
    }

    /**
     * A sweep (docs/key-rotation.md) is co-signed only when it pays the successor wallet whose share this device
     * holds: the address is derived here from that share's public key, not taken from the bank.
     */
    public void requireSweepToOwnWallet(TxRequestInfo r, EthTransaction tx, DeviceSecrets secrets) {
        String successor = r.sweepToWallet();
        if (!safeExists(successor)) {
            throw new WalletException("refusing to co-sign sweep " + r.id() + ": this device holds no share for its "
                    + "destination wallet " + successor + " (run 'wallet keygen " + successor + "' first)");
        }
        P2KeyShare share = vaults.openVault(successor, secrets);
        EthAddress own = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed());
        EthAddress payee = tx.data().length == 0 ? tx.to() : Erc20.decodeTransfer(tx.data()).to();
        if (!payee.equals(own) || !EthAddress.parse(r.to()).equals(own)) {
            throw new WalletException("refusing to co-sign sweep " + r.id() + ": it pays " + payee.toChecksumHex()
                    + ", not this device's wallet " + successor + " at " + own.toChecksumHex());
        }
        said.accept("sweep destination " + own.toChecksumHex() + " is wallet " + successor
                + ", whose share this device holds");
    }

    /**
     * Runs SIGN for sign request {@code requestId} of {@code walletId} with the first of {@code candidates} the bank
     * accepts (the next one only after the bank refused the previous one with {@code STALE_SHARE} before anything
     * ran); a {@code .vault.next} that signed is promoted. {@code progress} hears the session's steps.
     */
    public SignDriver.Result sign(BankApi api, String requestId, String walletId, EthTransaction tx,
            List<ShareSelection.Candidate> candidates, Consumer<DeviceSession.Progress> progress) {
        requireBankAddress(api, walletId, candidates.get(0).share());
        api.me(); // refreshes the access token if needed before the upgrade request
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), MpcChannel.CONNECT_TIMEOUT)) {
            ch.onProgress(progress);
            for (int i = 0; ; i++) {
                ShareSelection.Candidate c = candidates.get(i);
                SignDriver.Result r;
                try {
                    r = ch.sign(requestId, tx, c.share(), MpcChannel.DEFAULT_SESSION_TIMEOUT);
                } catch (MpcException e) {
                    if (!"STALE_SHARE".equals(e.code()) || i + 1 >= candidates.size()) {
                        throw e;
                    }
                    said.accept("the share of epoch " + c.share().epoch() + " is not the bank's; trying the share of "
                            + "epoch " + candidates.get(i + 1).share().epoch());
                    continue;
                }
                if (c.source() == ShareSelection.Source.NEXT && shares.hasNext(walletId)) {
                    shares.promoteNext(walletId);
                }
                return r;
            }
        }
    }
}
