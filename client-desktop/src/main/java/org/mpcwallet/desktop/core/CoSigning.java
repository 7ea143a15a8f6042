package org.mpcwallet.desktop.core;

import java.util.List;
import java.util.function.Consumer;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;

/**
 * The device's side of co-signing a checked transaction, shared by the command line and the window
 * (docs/client-desktop.md "Refresh", "cosign"): which of this device's shares of a wallet is current (the bank's
 * epoch decides between the {@code .vault} and a {@code .vault.next} a refresh left), that the bank's address of
 * the wallet is the address of that share, that a sweep pays a wallet whose share this device holds, and the SIGN
 * session over the channel with the fall-back to the other share when the bank reports no epoch. {@code said} hears
 * what the user should read (a share promoted, a share ignored).
 *
 * <p>With a presignature of the share's key in the wallet's {@link PresignaturePool} the co-signing is an
 * {@code online} session instead of SIGN (docs/presign-online.md "Stage 3"): the presignature's file is deleted
 * durably before the session is even asked for, so it is gone before its O1 leaves; if the bank no longer holds its
 * half ({@code PRESIGNATURE_UNAVAILABLE}: its pool was reset) the wallet's whole pool is discarded and the same
 * request is co-signed with SIGN. The co-sign check has run before any of this (the callers'): a presignature
 * changes how the signature is made, not what is signed. A sweep is always a SIGN: it is the one signature a locked
 * key may still make (docs/key-rotation.md), the signer refuses online signing on a locked key, and the key is
 * retiring, so its presignatures are discarded and none are made.
 */
public final class CoSigning {
    private final ShareStore shares;
    private final VaultSecrets vaults;
    private final Consumer<String> said;
    private volatile Consumer<String> sentFrames = f -> {};

    public CoSigning(ShareStore shares, VaultSecrets vaults, Consumer<String> said) {
        this.shares = shares;
        this.vaults = vaults;
        this.said = said;
    }

    /** A co-signing's verified result, and the top-up of the wallet's presignatures to run once it is shown. */
    public record Signed(SignDriver.Result result, PoolTopUp topUp) {}

    /** Hears every frame a co-signing sends, just before it goes (diagnostics and tests; frames hold no secret). */
    public void onFrameSent(Consumer<String> listener) {
        this.sentFrames = listener == null ? f -> {} : listener;
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
        VaultSecrets.Opened vaultOpened = safeExists(walletId) ? vaults.openVaultWithPoolKey(walletId, secrets) : null;
        VaultSecrets.Opened nextOpened = null;
        if (shares.hasNext(walletId)) {
            try {
                nextOpened = vaults.openNextWithPoolKey(walletId, secrets);
            } catch (WalletException e) {
                said.accept("ignoring " + shares.nextFile(walletId) + ": " + e.getMessage());
            }
        }
        VaultSecrets.Opened next = nextOpened;
        return selectShares(api, walletId, vaultOpened, next).stream()
                .map(c -> c.withPoolKey((c.source() == ShareSelection.Source.VAULT ? vaultOpened : next).poolKey()))
                .toList();
    }

    private List<ShareSelection.Candidate> selectShares(BankApi api, String walletId, VaultSecrets.Opened vaultOpened,
            VaultSecrets.Opened nextOpened) {
        P2KeyShare vault = vaultOpened == null ? null : vaultOpened.share();
        P2KeyShare next = nextOpened == null ? null : nextOpened.share();
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
     * Co-signs sign request {@code requestId} of {@code walletId} (online with a presignature of the pool, else SIGN)
     * with the first of {@code candidates} the bank accepts (the next one only after the bank refused the previous
     * one with {@code STALE_SHARE} before anything ran); a {@code .vault.next} that signed is promoted.
     * {@code progress} hears the session's steps. The result comes with the top-up of the pool (for the share that
     * signed) for the caller to run once the user has the result; the candidates' pool keys are wiped.
     * {@code sweep}: the request sweeps a locked key's funds (SIGN only, no presignatures).
     */
    public Signed sign(BankApi api, String requestId, String walletId, EthTransaction tx,
            List<ShareSelection.Candidate> candidates, boolean sweep, Consumer<DeviceSession.Progress> progress) {
        if (sweep) {
            candidates = candidates.stream().map(c -> {
                Bytes.wipe(c.poolKey());
                return new ShareSelection.Candidate(c.source(), c.share());
            }).toList();
            vaults.pool().discard(walletId);
        }
        List<ShareSelection.Candidate> used = candidates;
        try {
            return signWith(api, requestId, walletId, tx, used, progress);
        } finally {
            used.forEach(c -> Bytes.wipe(c.poolKey()));
        }
    }

    private Signed signWith(BankApi api, String requestId, String walletId, EthTransaction tx,
            List<ShareSelection.Candidate> candidates, Consumer<DeviceSession.Progress> progress) {
        requireBankAddress(api, walletId, candidates.get(0).share());
        api.me(); // refreshes the access token if needed before the upgrade request
        try (MpcChannel ch = MpcChannel.connect(api.baseUrl(), api.accessToken(), MpcChannel.CONNECT_TIMEOUT)) {
            ch.onProgress(progress);
            ch.onSend(sentFrames);
            for (int i = 0; ; i++) {
                ShareSelection.Candidate c = candidates.get(i);
                SignDriver.Result r;
                try {
                    r = signOnce(ch, requestId, walletId, tx, c);
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
                return new Signed(r, c.poolKey() == null ? PoolTopUp.NONE : new PoolTopUp(api, vaults.pool(),
                        walletId, c.share(), c.poolKey().clone(), vaults.notices()));
            }
        }
    }

    /**
     * One co-signing with one share: online when the pool yields a presignature of this share's key (its file
     * deleted before anything is sent), SIGN otherwise or after the bank's {@code PRESIGNATURE_UNAVAILABLE}.
     */
    private SignDriver.Result signOnce(MpcChannel ch, String requestId, String walletId, EthTransaction tx,
            ShareSelection.Candidate c) {
        PresignaturePool pool = vaults.pool();
        P2Presignature p = c.poolKey() == null ? null
                : pool.take(walletId, c.poolKey(), c.share().fingerprint(), said);
        if (p != null) {
            try {
                return ch.online(requestId, tx, c.share(), p, MpcChannel.DEFAULT_SESSION_TIMEOUT);
            } catch (MpcException e) {
                if (!"PRESIGNATURE_UNAVAILABLE".equals(e.code())) {
                    throw e;
                }
                pool.discard(walletId);
                said.accept("the bank no longer holds this device's presignatures of wallet " + walletId
                        + " (its pool was reset); discarded them and co-signing with SIGN");
            }
        }
        return ch.sign(requestId, tx, c.share(), MpcChannel.DEFAULT_SESSION_TIMEOUT);
    }
}
