package org.mpcwallet.bank.mpc.app;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.limits.LimitsConfig;
import org.mpcwallet.bank.mpc.channel.ChannelInput;
import org.mpcwallet.bank.mpc.channel.RunningSession;
import org.mpcwallet.bank.mpc.channel.SessionKind;
import org.mpcwallet.bank.mpc.channel.SignerCall;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.mpc.persistence.KeyIncidentRepository;
import org.mpcwallet.bank.mpc.persistence.MpcSessionRepository;
import org.mpcwallet.bank.mpc.port.TransferControls;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.gateway.SignerUnavailableException;
import org.mpcwallet.signer.permit.SigningPermit;

/**
 * Opens channel sessions (docs/mpc-channel.md): for a device's {@code keygen}, {@code refresh}, {@code sign},
 * {@code presign} or {@code online} frame (docs/presign-online.md), checks who may do it and the wallet's, request's
 * and key's state, counts the caps (docs/controls-hardening.md §4), records the RUNNING session and — for signing —
 * issues the permit with the controls snapshot, all in one transaction. Answers {@link ChannelInput.Opened} (with
 * P1's first call, none for an online signing) or {@link ChannelInput.StartRefused}; an unexpected failure is thrown.
 */
@Singleton
public class SessionStarts {
    static final String ACTOR = "system:mpc";

    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final SignRequestService requests;
    private final PermitIssuer permits;
    private final TransferControls transfers;
    private final SignerGateway signer;
    private final MpcSessionRepository sessions;
    private final KeyIncidentRepository incidents;
    private final AuditLog audit;
    private final JsonMapper json;
    private final SignerConfig config;
    private final LimitsConfig limits;
    private final SecureRandom random = new SecureRandom();

    public SessionStarts(TransactionRunner transactions, WalletService wallets, SignRequestService requests,
                         PermitIssuer permits, TransferControls transfers, SignerGateway signer,
                         MpcSessionRepository sessions, KeyIncidentRepository incidents, AuditLog audit,
                         JsonMapper json, SignerConfig config, LimitsConfig limits) {
        this.transactions = transactions;
        this.wallets = wallets;
        this.requests = requests;
        this.permits = permits;
        this.transfers = transfers;
        this.signer = signer;
        this.sessions = sessions;
        this.incidents = incidents;
        this.audit = audit;
        this.json = json;
        this.config = config;
        this.limits = limits;
    }

    /** Opens the session a device's keygen, refresh, sign, presign or online frame of {@code caller} asks for. */
    public ChannelInput open(Caller caller, Frame.FromDevice request) {
        try {
            if (request instanceof Frame.Keygen k) {
                return keygen(caller, k.walletId());
            } else if (request instanceof Frame.Refresh r) {
                return refresh(caller, r.walletId());
            } else if (request instanceof Frame.Sign s) {
                return sign(caller, s.requestId(), s.signingHash(), s.shareEpoch(), null);
            } else if (request instanceof Frame.Online o) {
                return sign(caller, o.requestId(), o.signingHash(), o.shareEpoch(), o.presignatureId());
            } else if (request instanceof Frame.Presign p) {
                return presign(caller, p.walletId());
            }
            throw new IllegalArgumentException("not a session request: " + request.getClass().getSimpleName());
        } catch (ChannelRefusal e) {
            return new ChannelInput.StartRefused(e.code, e.getMessage());
        }
    }

    private ChannelInput keygen(Caller caller, String walletIdText) {
        byte[] sid = sid();
        UUID sessionId = UUID.randomUUID();
        long deadline = deadline();
        Wallet w = transactions.inTransaction(() -> {
            Wallet wallet = wallet(caller, walletIdText);
            if (wallet.status() != WalletStatus.PENDING_KEYGEN) {
                throw new ChannelRefusal("WRONG_STATE", "the wallet is " + wallet.status()
                        + "; keygen needs PENDING_KEYGEN");
            }
            if (sessions.runningFor(wallet.id(), null, config.stepTimeoutSeconds())) {
                throw new ChannelRefusal("WRONG_STATE", "a keygen for this wallet is already running");
            }
            insert(sessionId, SessionKind.KEYGEN, wallet.id(), null, caller.userId(), sid, deadline);
            audit.appendInTransaction(caller.actor(), "KEYGEN_STARTED", payload("walletId", wallet.id().toString(),
                    "keysetId", wallet.keysetId(), "sessionId", sessionId.toString()));
            return wallet;
        });
        return new ChannelInput.Opened(RunningSession.opened(sessionId, SessionKind.KEYGEN, w.id(), w.keysetId(),
                null, deadline), sid, new SignerCall.KeygenStart(w.keysetId(), sid));
    }

    /** A refresh: an ADMIN authorized it; the OWNER's device takes part. */
    private ChannelInput refresh(Caller caller, String walletIdText) {
        byte[] sid = sid();
        UUID sessionId = UUID.randomUUID();
        long deadline = deadline();
        Wallet w = transactions.inTransaction(() -> {
            Wallet wallet = wallet(caller, walletIdText);
            if (wallet.status() != WalletStatus.ACTIVE) {
                throw new ChannelRefusal("WRONG_STATE", "the wallet is " + wallet.status() + "; refresh needs ACTIVE");
            }
            UUID authorization = incidents.openRefreshAuthorization(wallet.id()).orElse(null);
            if (authorization == null) {
                throw new ChannelRefusal("NOT_AUTHORIZED", "no unused refresh authorization for this wallet; an "
                        + "administrator must authorize the refresh first");
            }
            if (sessions.runningFor(wallet.id(), null, config.stepTimeoutSeconds())) {
                throw new ChannelRefusal("WRONG_STATE", "a keygen or refresh for this wallet is already running");
            }
            insert(sessionId, SessionKind.REFRESH, wallet.id(), null, caller.userId(), sid, deadline);
            audit.appendInTransaction(caller.actor(), "REFRESH_STARTED", payload("walletId", wallet.id().toString(),
                    "keysetId", wallet.keysetId(), "sessionId", sessionId.toString(), "authorizationId",
                    authorization.toString()));
            return wallet;
        });
        return new ChannelInput.Opened(RunningSession.opened(sessionId, SessionKind.REFRESH, w.id(), w.keysetId(),
                null, deadline), sid, new SignerCall.RefreshStart(w.keysetId(), sid));
    }

    /**
     * A presignature for the wallet (docs/presign-online.md): the OWNER's device, an ACTIVE wallet whose key is not
     * locked, within the caps and the hourly presign limit. No permit: nothing is signed until an online session.
     */
    private ChannelInput presign(Caller caller, String walletIdText) {
        byte[] sid = sid();
        UUID sessionId = UUID.randomUUID();
        long deadline = deadline();
        Wallet w = transactions.inTransaction(() -> {
            Wallet wallet = wallet(caller, walletIdText);
            if (wallet.status() != WalletStatus.ACTIVE) {
                throw new ChannelRefusal("WRONG_STATE", "the wallet is " + wallet.status() + "; presign needs ACTIVE");
            }
            if (wallets.keysetLocked(wallet.keysetId())) {
                throw new ChannelRefusal("KEY_LOCKED", "the wallet's key is retired after a failed signature; "
                        + "an administrator must rotate it (new wallet, sweep)");
            }
            insert(sessionId, SessionKind.PRESIGN, wallet.id(), null, caller.userId(), sid, deadline);
            audit.appendInTransaction(caller.actor(), "PRESIGN_STARTED", payload("walletId", wallet.id().toString(),
                    "keysetId", wallet.keysetId(), "sessionId", sessionId.toString()));
            return wallet;
        });
        return new ChannelInput.Opened(RunningSession.opened(sessionId, SessionKind.PRESIGN, w.id(), w.keysetId(),
                null, deadline), sid, new SignerCall.PresignStart(w.keysetId(), sid));
    }

    /**
     * A co-signing of a sign request: SIGN, or ONLINE with the presignature {@code presignatureId} (the same checks,
     * the same permit; the session then waits for the device's O1).
     */
    private ChannelInput sign(Caller caller, String requestIdText, String deviceHash, Integer shareEpoch,
                              String presignatureId) {
        SessionKind kind = presignatureId == null ? SessionKind.SIGN : SessionKind.ONLINE;
        byte[] sid = sid();
        UUID sessionId = UUID.randomUUID();
        long deadline = deadline();
        record Prepared(SignRequest request, Wallet wallet, PermitIssuer.Issued permit) {
        }
        Prepared p = transactions.inTransaction(() -> {
            UUID rid;
            try {
                rid = UUID.fromString(requestIdText);
            } catch (IllegalArgumentException e) {
                throw new ChannelRefusal("NOT_FOUND", "no such sign request");
            }
            SignRequest req = requests.find(rid, true)
                    .orElseThrow(() -> new ChannelRefusal("NOT_FOUND", "no such sign request"));
            Wallet wallet;
            try {
                wallet = wallet(caller, req.walletId().toString());
            } catch (ChannelRefusal e) {
                throw e.code.equals("FORBIDDEN") ? e : new ChannelRefusal("NOT_FOUND", "no such sign request");
            }
            if (wallet.status() != WalletStatus.ACTIVE) {
                throw new ChannelRefusal("WRONG_STATE", "the wallet is " + wallet.status());
            }
            if (req.status() != SignRequest.Status.PENDING) {
                throw new ChannelRefusal("WRONG_STATE", "the sign request is " + req.status());
            }
            if (req.expired(Instant.now())) {
                throw new ChannelRefusal("WRONG_STATE", "the sign request expired at " + req.expiresAt());
            }
            boolean locked = wallets.keysetLocked(wallet.keysetId());
            boolean sweep = locked && transfers.isSweep(req.id());
            if (locked && !sweep) {
                throw new ChannelRefusal("KEY_LOCKED", "the wallet's key is retired after a failed signature; "
                        + "an administrator must rotate it (new wallet, sweep)");
            }
            if (sweep && kind == SessionKind.ONLINE) {
                // the signer never signs online with a locked key; a retired key's sweep is co-signed with SIGN, and
                // this answer makes every device discard that key's presignatures and fall back to sign
                throw new ChannelRefusal("PRESIGNATURE_UNAVAILABLE", "a retired key's sweep is co-signed with "
                        + "'sign'; its presignatures are no longer used");
            }
            if (!hashMatches(deviceHash, req.signingHash())) {
                throw new ChannelRefusal("HASH_MISMATCH", "the device's signing hash differs from the request's "
                        + "(the device must recompute it from the transaction fields)");
            }
            if (sessions.runningFor(wallet.id(), req.id(), config.stepTimeoutSeconds())) {
                throw new ChannelRefusal("WRONG_STATE", "this sign request is already being co-signed; a session "
                        + "that makes no progress for " + (config.stepTimeoutSeconds()
                        + MpcSessionRepository.STALE_MARGIN_SECONDS) + " s is given up (one cut off by a restart), "
                        + "then try again");
            }
            insert(sessionId, kind, wallet.id(), req.id(), caller.userId(), sid, deadline);
            byte[] head = audit.headHash(); // in this transaction: no second connection under the start lock
            List<SigningPermit.Control> controls = new ArrayList<>(List.of(
                    new SigningPermit.Control("caller.wallet-role", "OWNER"),
                    new SigningPermit.Control("wallet.status", "ACTIVE"),
                    new SigningPermit.Control("request.status", "PENDING"),
                    new SigningPermit.Control("device.signing-hash", "match"),
                    new SigningPermit.Control("key.lock", sweep ? "sweep" : "none")));
            TransferControls.Answer transfer = transfers.forSignRequest(req.id());
            if (transfer instanceof TransferControls.Answer.WrongState w) {
                throw new ChannelRefusal("WRONG_STATE", w.detail());
            }
            if (transfer instanceof TransferControls.Answer.Ready ready) {
                controls.addAll(ready.controls());
            } else if (!requests.directAllowed()) {
                throw new ChannelRefusal("WRONG_STATE", "this sign request is not part of a transaction request, "
                        + "and direct sign requests are disabled");
            }
            PermitIssuer.Issued issued = permits.issue(req.id().toString(), wallet.id().toString(),
                    wallet.keysetId(), req.tx(), controls, head);
            audit.appendInTransaction(ACTOR, "PERMIT_ISSUED", payload("requestId", req.id().toString(), "walletId",
                    wallet.id().toString(), "keysetId", wallet.keysetId(), "sessionId", sessionId.toString(),
                    "signingHash", hex(req.signingHash()), "expiresAt", issued.permit().expiresAt(),
                    "nonce", hex(issued.permit().nonce()), "auditHead", hex(head),
                    "controls", controls.stream().map(k -> k.name() + "=" + k.result()).toList()));
            audit.appendInTransaction(caller.actor(), "SIGN_STARTED", kind == SessionKind.SIGN
                    ? payload("requestId", req.id().toString(), "walletId", wallet.id().toString(), "sessionId",
                            sessionId.toString())
                    : payload("requestId", req.id().toString(), "walletId", wallet.id().toString(), "sessionId",
                            sessionId.toString(), "presignatureId", presignatureId));
            return new Prepared(req, wallet, issued);
        });
        if (shareEpoch != null) {
            refuseStaleShare(sessionId, p.request(), p.wallet(), shareEpoch);
        }
        if (kind == SessionKind.ONLINE) {
            // the device's O1 is due while the permit is valid (the signer checks it when O1 arrives)
            long o1Due = Math.min(stepDeadline(), p.permit().permit().expiresAt());
            return new ChannelInput.Opened(RunningSession.openedOnline(sessionId, p.wallet().id(),
                    p.wallet().keysetId(), p.request(), deadline, o1Due, new RunningSession.Online(
                            presignatureId, p.permit().encoded(), p.permit().signature())), sid, null);
        }
        return new ChannelInput.Opened(RunningSession.opened(sessionId, SessionKind.SIGN, p.wallet().id(),
                p.wallet().keysetId(), p.request(), deadline), sid, new SignerCall.SignStart(p.wallet().keysetId(),
                sid, p.permit().encoded(), p.permit().signature()));
    }

    /**
     * A device holding an older epoch's share (e.g. restored from a backup taken before a refresh) would produce a
     * signature that fails and locks the key: it is refused before anything runs (the session recorded FAILED).
     */
    private void refuseStaleShare(UUID sessionId, SignRequest request, Wallet wallet, int shareEpoch) {
        GatewayKeyset ks;
        try {
            ks = signer.keyset(wallet.keysetId());
        } catch (SignerUnavailableException e) {
            ks = null;
        }
        if (ks == null || ks.epoch() == shareEpoch) {
            return;
        }
        transactions.inTransaction(() -> {
            sessions.fail(sessionId, "FAILED", "STALE_SHARE", "device share epoch " + shareEpoch);
            audit.appendInTransaction(ACTOR, "SIGN_FAILED", payload("requestId", request.id().toString(),
                    "walletId", wallet.id().toString(), "sessionId", sessionId.toString(), "code",
                    "STALE_SHARE", "detail", "device share epoch " + shareEpoch));
            return null;
        });
        throw new ChannelRefusal("STALE_SHARE", "the device's share is epoch " + shareEpoch + " but the bank's key "
                + "is at epoch " + ks.epoch() + "; restore the share saved after the latest refresh");
    }

    /**
     * Records a new RUNNING session of {@code userId}'s device, within the caps (docs/controls-hardening.md §4):
     * sessions running at once per user and in total, and key generations and presignatures per user per hour,
     * counted over every instance. Starts are serialized by a transaction-scoped advisory lock, so two starts cannot
     * both pass a count.
     */
    private void insert(UUID id, SessionKind kind, UUID walletId, UUID requestId, UUID userId,
                        byte[] sid, long deadline) {
        sessions.lockStarts();
        MpcSessionRepository.Running running = sessions.running(userId, config.stepTimeoutSeconds());
        if (running.mine() >= limits.mpcSessionsPerUser()) {
            throw new ChannelRefusal("BUSY", "at most " + limits.mpcSessionsPerUser() + " of your sessions may "
                    + "run at once; wait for one to end");
        }
        if (running.total() >= limits.mpcSessionsTotal()) {
            throw new ChannelRefusal("BUSY", "the bank is running as many sessions as it can; try again in a "
                    + "moment");
        }
        if (kind == SessionKind.KEYGEN) {
            rateLimited(sessions.keygensInLastHour(userId), limits.keygensPerUserPerHour(), "key generations");
        } else if (kind == SessionKind.PRESIGN) {
            rateLimited(sessions.presignsInLastHour(userId), limits.presignsPerUserPerHour(), "presignatures");
        }
        sessions.insert(id, kind, walletId, requestId, userId, sid, deadline);
    }

    private static void rateLimited(MpcSessionRepository.RecentKeygens recent, int perHour, String what) {
        if (recent.count() >= perHour) {
            long minutes = Math.max(1, (long) Math.ceil(recent.secondsUntilOneLeaves() / 60.0));
            throw new ChannelRefusal("RATE_LIMITED", "at most " + perHour + " " + what + " per hour; try again in "
                    + minutes + " min");
        }
    }

    /** The wallet, if {@code caller} is its OWNER (only the owner's device holds the other share). */
    private Wallet wallet(Caller caller, String walletId) {
        try {
            return wallets.requireRole(caller, walletId, Set.of(WalletRole.OWNER), Set.of());
        } catch (WalletException e) {
            throw switch (e.kind()) {
                case FORBIDDEN -> new ChannelRefusal("FORBIDDEN", "only the wallet's OWNER co-signs with its key");
                default -> new ChannelRefusal("NOT_FOUND", "no such wallet");
            };
        }
    }

    /** Whether the device's hash (64 hex digits, optionally 0x-prefixed) is the request's. */
    static boolean hashMatches(String deviceHash, byte[] signingHash) {
        if (deviceHash == null) {
            return false;
        }
        String h = deviceHash.startsWith("0x") ? deviceHash.substring(2) : deviceHash;
        if (h.length() != 64 || !h.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f'
                || ch >= 'A' && ch <= 'F')) {
            return false;
        }
        return Arrays.equals(HexFormat.of().parseHex(h), signingHash);
    }

    private byte[] sid() {
        byte[] sid = new byte[32];
        random.nextBytes(sid);
        return sid;
    }

    private long deadline() {
        return System.currentTimeMillis() + config.sessionTimeoutSeconds() * 1000L;
    }

    private long stepDeadline() {
        return System.currentTimeMillis() + config.stepTimeoutSeconds() * 1000L;
    }


    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
