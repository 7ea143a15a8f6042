package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.util.HexFormat;
import java.util.UUID;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.metrics.app.BankMetrics;
import org.mpcwallet.bank.mpc.channel.ChannelAction;
import org.mpcwallet.bank.mpc.channel.RunningSession;
import org.mpcwallet.bank.mpc.channel.SessionKind;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.mpc.event.SignRequestCompleted;
import org.mpcwallet.bank.mpc.persistence.KeyIncidentRepository;
import org.mpcwallet.bank.mpc.persistence.MpcSessionRepository;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletLifecycle;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what happens to channel sessions (the runner's database actions): each in one transaction — the session
 * row, the wallet, the sign request, incidents, the audit events — and, once committed, the
 * {@link SignRequestCompleted} event the pipeline listens to (delivered on another thread: the device's answer does
 * not wait for the pipeline).
 */
@Singleton
public class SessionRecords {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRecords.class);
    static final String ACTOR = SessionStarts.ACTOR;

    private final TransactionRunner transactions;
    private final WalletService wallets;
    private final WalletLifecycle lifecycle;
    private final SignRequestService requests;
    private final MpcSessionRepository sessions;
    private final KeyIncidentRepository incidents;
    private final AuditLog audit;
    private final JsonMapper json;
    private final ApplicationEventPublisher<SignRequestCompleted> completions;
    private final BankMetrics metrics;

    public SessionRecords(TransactionRunner transactions, WalletService wallets, WalletLifecycle lifecycle,
                          SignRequestService requests, MpcSessionRepository sessions, KeyIncidentRepository incidents,
                          AuditLog audit, JsonMapper json,
                          ApplicationEventPublisher<SignRequestCompleted> completions, BankMetrics metrics) {
        this.metrics = metrics;
        this.transactions = transactions;
        this.wallets = wallets;
        this.lifecycle = lifecycle;
        this.requests = requests;
        this.sessions = sessions;
        this.incidents = incidents;
        this.audit = audit;
        this.json = json;
        this.completions = completions;
    }

    public void step(UUID sessionId, int seq) {
        transactions.inTransaction(() -> {
            sessions.updateSeq(sessionId, seq);
            return null;
        });
    }

    public void keygen(ChannelAction.RecordKeygen a) {
        RunningSession r = a.session();
        java.time.Instant started = transactions.inTransaction(() -> {
            lifecycle.markActive(r.walletId(), a.publicKey(), a.address());
            java.time.Instant at = complete(r.id());
            audit.appendInTransaction(ACTOR, "KEYGEN_COMPLETED", payload("walletId", r.walletId().toString(),
                    "keysetId", r.keysetId(), "sessionId", r.id().toString(), "address", a.address(),
                    "publicKey", HexFormat.of().formatHex(a.publicKey())));
            return at;
        });
        measured(r, "COMPLETED", started);
    }

    public void refreshed(ChannelAction.RecordRefreshed a) {
        RunningSession r = a.session();
        java.time.Instant started = transactions.inTransaction(() -> {
            incidents.useRefreshAuthorization(r.walletId(), r.id());
            int resolved = incidents.resolveKeyLocks(r.walletId());
            java.time.Instant at = complete(r.id());
            audit.appendInTransaction(ACTOR, "KEY_REFRESHED", payload("walletId", r.walletId().toString(), "keysetId",
                    r.keysetId(), "sessionId", r.id().toString(), "epoch", a.epoch(), "incidentsResolved", resolved));
            return at;
        });
        measured(r, "COMPLETED", started);
    }

    /** The sign request SIGNED by {@code caller}'s device; then {@link SignRequestCompleted} SIGNED. */
    public void signature(Caller caller, ChannelAction.RecordSignature a) {
        RunningSession r = a.session();
        GatewayReply.Signature s = a.signature();
        java.time.Instant started = transactions.inTransaction(() -> {
            requests.markSigned(r.request(), new SignRequest.Signature(s.r(), s.s(), s.recoveryId()),
                    a.rawTransaction(), a.txHash(), caller.actor(), r.id());
            return complete(r.id());
        });
        measured(r, "COMPLETED", started);
        metrics.signerDecryption("signed");
        publish(r, SignRequestCompleted.Outcome.SIGNED);
    }

    /** A presignature made: the session COMPLETED, audited with the presignature's id (public; no secret). */
    public void presigned(ChannelAction.RecordPresigned a) {
        RunningSession r = a.session();
        java.time.Instant started = transactions.inTransaction(() -> {
            java.time.Instant at = complete(r.id());
            audit.appendInTransaction(ACTOR, "PRESIGN_COMPLETED", payload("walletId", r.walletId().toString(),
                    "keysetId", r.keysetId(), "sessionId", r.id().toString(), "presignatureId", a.presignatureId()));
            return at;
        });
        measured(r, "COMPLETED", started);
    }

    public void permitRefused(ChannelAction.RecordPermitRefused a) {
        RunningSession r = a.session();
        transactions.inTransaction(() -> {
            audit.appendInTransaction(ACTOR, "PERMIT_REJECTED", payload("requestId", r.request().id().toString(),
                    "sessionId", r.id().toString(), "kind", a.kind(), "reason", a.reason()));
            return null;
        });
    }

    /** The sign request FAILED with its key locked, an incident opened (once per wallet); then the event. */
    public void keyLocked(ChannelAction.RecordKeyLocked a) {
        RunningSession r = a.session();
        boolean opened = transactions.inTransaction(() -> {
            if (r.request() != null) {
                requests.markFailed(r.request(), "KEY_LOCKED");
            }
            if (incidents.keyLockOpen(r.walletId())) {
                return false; // already known (and being rotated, or waiting for it)
            }
            UUID incident = UUID.randomUUID();
            incidents.openKeyLock(incident, r.walletId(), r.keysetId(), r.id(), a.reason());
            audit.appendInTransaction(ACTOR, "KEY_LOCKED", payload("walletId", r.walletId().toString(), "keysetId",
                    r.keysetId(), "sessionId", r.id().toString(), "incidentId", incident.toString(), "failure",
                    a.failure(), "reason", a.reason()));
            return true;
        });
        metrics.signerDecryption("check_failed");
        if (opened) {
            metrics.keyLocked();
            LOG.error("mpc channel: wallet {} keyset {} LOCKED (session {}); incident opened", r.walletId(),
                    r.keysetId(), r.id());
        }
        if (r.request() != null) {
            publish(r, SignRequestCompleted.Outcome.KEY_LOCKED);
        }
    }

    /** A session ended ({@code status} FAILED or EXPIRED): row, keygen wallet FAILED, audit; then the event. */
    public void ended(ChannelAction.RecordEnd a) {
        RunningSession r = a.session();
        java.time.Instant started = transactions.inTransaction(() -> {
            java.time.Instant at = sessions.startedAt(r.id()).orElse(null);
            sessions.fail(r.id(), a.status(), a.code(), a.detail());
            if (r.kind() == SessionKind.KEYGEN) {
                Wallet w = wallets.find(r.walletId());
                if (w != null && w.status() == WalletStatus.PENDING_KEYGEN) {
                    lifecycle.markFailed(r.walletId(), a.code() + ": " + a.detail());
                }
                audit.appendInTransaction(ACTOR, "KEYGEN_FAILED", payload("walletId", r.walletId().toString(),
                        "sessionId", r.id().toString(), "code", a.code(), "detail", a.detail()));
            } else if (r.kind() == SessionKind.REFRESH) {
                audit.appendInTransaction(ACTOR, "REFRESH_FAILED", payload("walletId", r.walletId().toString(),
                        "sessionId", r.id().toString(), "code", a.code(), "detail", a.detail()));
            } else if (r.kind() == SessionKind.PRESIGN) {
                audit.appendInTransaction(ACTOR, "PRESIGN_FAILED", payload("walletId", r.walletId().toString(),
                        "sessionId", r.id().toString(), "code", a.code(), "detail", a.detail()));
            } else {
                audit.appendInTransaction(ACTOR, "SIGN_FAILED", payload("requestId", r.request().id().toString(),
                        "walletId", r.walletId().toString(), "sessionId", r.id().toString(), "code", a.code(),
                        "detail", a.detail()));
            }
            return at;
        });
        measured(r, a.status(), started);
        if (r.kind().signs()) {
            publish(r, SignRequestCompleted.Outcome.SESSION_FAILED);
        }
    }

    /**
     * Sessions of a process that died (or lost its connection record) expire at their deadline; the wallet of an
     * expired keygen is FAILED.
     */
    public void expireOverdue() {
        transactions.inTransaction(() -> {
            for (MpcSessionRepository.ExpiredKeygen s : sessions.expireOverdue()) {
                Wallet w = wallets.find(s.walletId());
                if (w != null && w.status() == WalletStatus.PENDING_KEYGEN) {
                    lifecycle.markFailed(s.walletId(), "TIMEOUT: keygen session " + s.sessionId() + " expired");
                }
            }
            return null;
        });
    }

    /** Marks the session COMPLETED; returns when it started (null if unknown). */
    private java.time.Instant complete(UUID sessionId) {
        java.time.Instant started = sessions.startedAt(sessionId).orElse(null);
        if (!sessions.complete(sessionId)) {
            throw new ChannelRefusal("TIMEOUT", "the session expired before it completed");
        }
        return started;
    }

    private void measured(RunningSession r, String outcome, java.time.Instant started) {
        metrics.sessionEnded(r.kind().name(), outcome, started == null ? java.time.Duration.ZERO
                : java.time.Duration.between(started, java.time.Instant.now()));
    }

    private void publish(RunningSession r, SignRequestCompleted.Outcome outcome) {
        try {
            completions.publishEventAsync(new SignRequestCompleted(r.request().id(), r.walletId(), outcome));
        } catch (RuntimeException e) {
            // the pipeline finds the request's state on its next round anyway
            LOG.warn("mpc channel: telling the pipeline about sign request {} failed ({})", r.request().id(),
                    e.getClass().getSimpleName());
        }
    }


    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }
}
