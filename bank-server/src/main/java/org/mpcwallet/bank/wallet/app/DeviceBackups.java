package org.mpcwallet.bank.wallet.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.bank.wallet.persistence.DeviceBackup;
import org.mpcwallet.bank.wallet.persistence.DeviceBackupRepository;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.crypto.vault.VaultHeader;

/**
 * The bank's copy of a customer's device share (docs/client-web.md "The bank's copy"): the device seals its share
 * under a generated recovery code the bank never sees and stores the envelope here, to restore it in a browser that
 * lost its storage. Only the wallet's OWNER stores, reads or deletes it; every action is audited (never the
 * envelope). The bank checks what it can without opening it: a share vault v1 envelope of party P2 for this wallet,
 * with at least the vault's minimum PBKDF2 iterations, of an ACTIVE wallet, made at the bank's current key epoch.
 */
@Singleton
public class DeviceBackups {
    /** Where an envelope comes from; the only kind the bank accepts (never a human-chosen password alone). */
    public static final String SEALED_WITH = "recovery-code";
    static final int MAX_BYTES = 16_384;

    /** A stored copy as the API shows it; {@code current} is false once the key was refreshed since. */
    public record Copy(String walletId, String envelopeBase64, String sealedWith, long keyEpoch, boolean current,
                       Instant storedAt) {
        @Override
        public String toString() {
            return "Copy[" + walletId + ", keyEpoch=" + keyEpoch + ", current=" + current + "]";
        }
    }

    private final WalletService wallets;
    private final DeviceBackupRepository copies;
    private final TransactionRunner transactions;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    public DeviceBackups(WalletService wallets, DeviceBackupRepository copies,
                         TransactionRunner transactions, AuditLog audit, JsonMapper json) {
        this.wallets = wallets;
        this.copies = copies;
        this.transactions = transactions;
        this.audit = audit;
        this.json = json;
    }

    /** Stores (or replaces) the copy of {@code walletId}; {@code keyEpoch} is the epoch of the sealed share. */
    public Copy store(Caller caller, String walletId, String envelopeBase64, Long keyEpoch, String sealedWith) {
        WalletService.MpcInfo info = owned(caller, walletId);
        Wallet w = info.wallet();
        if (!SEALED_WITH.equals(sealedWith)) {
            throw new WalletException(Kind.INVALID_REQUEST, "sealedWith must be \"" + SEALED_WITH + "\": the bank "
                    + "keeps only copies sealed under a generated recovery code, never under a chosen password.");
        }
        if (w.status() != WalletStatus.ACTIVE || info.epoch() == null) {
            throw new WalletException(Kind.CONFLICT, "The wallet is " + w.status() + "; only an active wallet's "
                    + "share can be kept.");
        }
        if (keyEpoch == null || keyEpoch.longValue() != info.epoch().longValue()) {
            throw new WalletException(Kind.CONFLICT, "The copy holds the share of key epoch " + keyEpoch + "; the "
                    + "bank's key is at epoch " + info.epoch() + ", so that share can no longer sign.");
        }
        byte[] envelope = envelope(envelopeBase64, w.id());
        Instant now = clock.instant();
        transactions.inTransaction(() -> {
            copies.upsert(w.id(), envelope, SEALED_WITH, keyEpoch, caller.userId(), now);
            audit.appendInTransaction(caller.actor(), "DEVICE_BACKUP_STORED", AuditPayload.of(json, "walletId",
                    w.id().toString(), "keyEpoch", keyEpoch, "bytes", envelope.length, "sealedWith", SEALED_WITH));
            return null;
        });
        return new Copy(w.id().toString(), envelopeBase64, SEALED_WITH, keyEpoch, true, now);
    }

    /** The copy of {@code walletId} (its reading is audited); NOT_FOUND when there is none. */
    public Copy read(Caller caller, String walletId) {
        WalletService.MpcInfo info = owned(caller, walletId);
        UUID id = info.wallet().id();
        Optional<DeviceBackup> found = transactions.inTransaction(() -> {
            Optional<DeviceBackup> b = copies.findById(id);
            if (b.isPresent()) {
                audit.appendInTransaction(caller.actor(), "DEVICE_BACKUP_READ", AuditPayload.of(json, "walletId",
                        id.toString(), "keyEpoch", b.get().keyEpoch()));
            }
            return b;
        });
        DeviceBackup b = found.orElseThrow(() -> new WalletException(Kind.NOT_FOUND,
                "The bank keeps no copy of this wallet's share."));
        return new Copy(id.toString(), Base64.getEncoder().encodeToString(b.envelope()), b.sealedWith(),
                b.keyEpoch(), info.epoch() != null && info.epoch() == b.keyEpoch(), b.storedAt());
    }

    /** Deletes the copy of {@code walletId}; NOT_FOUND when there is none. */
    public void delete(Caller caller, String walletId) {
        UUID id = owned(caller, walletId).wallet().id();
        int n = transactions.inTransaction(() -> {
            int deleted = copies.delete(id);
            if (deleted == 1) {
                audit.appendInTransaction(caller.actor(), "DEVICE_BACKUP_DELETED", AuditPayload.of(json, "walletId",
                        id.toString()));
            }
            return deleted;
        });
        if (n == 0) {
            throw new WalletException(Kind.NOT_FOUND, "The bank keeps no copy of this wallet's share.");
        }
    }

    /** The wallet with its key state, when the caller is its OWNER (others: NOT_FOUND or FORBIDDEN). */
    private WalletService.MpcInfo owned(Caller caller, String walletId) {
        WalletService.MpcInfo info = wallets.mpc(caller, walletId);
        boolean owner = wallets.roles(caller, walletId).stream().anyMatch(g -> g.userId().equals(caller.userId())
                && g.role() == WalletRole.OWNER);
        if (!owner) {
            throw new WalletException(Kind.FORBIDDEN, "Only the wallet's OWNER keeps a copy of its device share.");
        }
        return info;
    }

    private static byte[] envelope(String base64, UUID walletId) {
        byte[] envelope;
        try {
            envelope = Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw new WalletException(Kind.INVALID_REQUEST, "envelope must be base64.");
        }
        if (envelope.length < 64 || envelope.length > MAX_BYTES) {
            throw new WalletException(Kind.INVALID_REQUEST, "envelope must be a sealed share (64 to " + MAX_BYTES
                    + " bytes).");
        }
        Result<VaultHeader, VaultFailure> h = ShareVault.inspect(envelope);
        if (!h.isOk()) {
            throw new WalletException(Kind.INVALID_REQUEST, "envelope is not a share vault v1 envelope.");
        }
        VaultHeader header = h.value();
        if (header.role() != Party.P2 || !walletId.toString().equals(header.walletId())) {
            throw new WalletException(Kind.INVALID_REQUEST, "envelope does not hold this wallet's device share.");
        }
        if (header.iterations() < ShareVault.MIN_ITERATIONS) {
            throw new WalletException(Kind.INVALID_REQUEST, "envelope is sealed with too few PBKDF2 iterations.");
        }
        return envelope;
    }
}
