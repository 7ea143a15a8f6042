package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.mpcwallet.bank.audit.app.AuditLog;
import org.mpcwallet.bank.audit.app.AuditPayload;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.Transactions;
import org.mpcwallet.bank.limits.LimitsConfig;
import org.mpcwallet.bank.mpc.domain.SignRequest;
import org.mpcwallet.bank.sched.Periodic;
import org.mpcwallet.bank.sched.SerialExecutor;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletService;
import org.mpcwallet.bank.wallet.domain.Wallet;
import org.mpcwallet.bank.wallet.domain.WalletStatus;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.gateway.SignerUnavailableException;
import org.mpcwallet.signer.permit.SigningPermit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MPC channel between a device (P2) and the bank signer (P1), independent of the transport
 * (docs/mpc-channel.md). One {@link Link} per WebSocket connection; frames go in as text and out through the
 * link's sender. Every session is a row in {@code mpc_sessions}; each step's database effects (session row, wallet
 * status, sign request, incident, audit events) commit in one transaction. A failure ends that session only.
 */
@Context
public class MpcChannel {
    private static final Logger LOG = LoggerFactory.getLogger(MpcChannel.class);
    /** The one frame limit of the channel, in bytes (docs/mpc-channel.md): frames are ASCII JSON. */
    public static final int MAX_FRAME_BYTES = FrameCodec.MAX_FRAME_BYTES;
    /**
     * Frames of one connection that may wait for the one before them, and their total size; a device that sends more
     * is cut off (1008).
     */
    static final int MAX_QUEUED_FRAMES = 256;
    static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    /** WebSocket close codes (RFC 6455 §7.4.1) the channel uses. */
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_POLICY_VIOLATION = 1008;
    static final int MAX_SESSIONS_PER_LINK = 4;
    static final String ACTOR = "system:mpc";
    /** The advisory lock that serializes session starts while their caps are counted ("mpc-caps" in ASCII). */
    private static final long SESSION_START_LOCK = 0x6d70632d63617073L;

    private final DataSource dataSource;
    private final SignerGateway signer;
    private final WalletService wallets;
    private final SignRequestService requests;
    private final PermitIssuer permits;
    private final AuditLog audit;
    private final JsonMapper json;
    private final SignerConfig config;
    private final org.mpcwallet.bank.auth.app.UserStates users;
    private final LimitsConfig limits;
    private final SecureRandom random = new SecureRandom();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    /** The threads that handle frames (each connection's frames one at a time, see {@link Link#receive}). */
    private final ExecutorService frameThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("mpc-frame-", 0).factory());
    private final Periodic sweeper;

    public MpcChannel(DataSource dataSource, SignerGateway signer, WalletService wallets, SignRequestService requests,
                      PermitIssuer permits, AuditLog audit, JsonMapper json, SignerConfig config,
                      org.mpcwallet.bank.auth.app.UserStates users, LimitsConfig limits) {
        this.users = users;
        this.limits = limits;
        this.dataSource = dataSource;
        this.signer = signer;
        this.wallets = wallets;
        this.requests = requests;
        this.permits = permits;
        this.audit = audit;
        this.json = json;
        this.config = config;
        this.sweeper = Periodic.every("mpc-session-sweeper", 1_000, this::sweep);
    }

    @PreDestroy
    void stop() {
        sweeper.close();
        frameThreads.shutdown();
    }

    /** Closes the device's connection with a WebSocket close code and reason. */
    @FunctionalInterface
    public interface Closer {
        void close(int code, String reason);
    }

    /**
     * Opens the channel for an authenticated caller whose token was issued under {@code authVersion}; {@code send}
     * delivers one text frame to the device, {@code close} closes the connection (access revoked, idle, flooding).
     */
    public Link open(Caller caller, long authVersion, Consumer<String> send, Closer close) {
        Link link = new Link(caller, authVersion, send, close);
        links.add(link);
        return link;
    }

    /**
     * Tells the wallet's OWNERs connected right now that a transaction request waits for their co-signature
     * ({@code {"type":"cosign","txRequestId","requestId","walletId"}}); best effort — the device also finds it over REST.
     */
    public void notifyCosign(UUID walletId, UUID txRequestId, UUID signRequestId) {
        java.util.Set<UUID> owners = new java.util.HashSet<>();
        try {
            tx(c -> {
                try (PreparedStatement ps = c.prepareStatement("select user_id from wallet_roles where wallet_id = ? "
                        + "and role = 'OWNER'")) {
                    ps.setObject(1, walletId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            owners.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("mpc channel: finding the owners of {} failed ({})", walletId, e.getClass().getSimpleName());
            return;
        }
        String text = FrameCodec.encode(new Frame.Cosign(txRequestId.toString(), signRequestId.toString(),
                walletId.toString()));
        for (Link l : links) {
            if (owners.contains(l.caller.userId())) {
                l.push(text);
            }
        }
    }

    /** Whether the signer answers (for /health). */
    public boolean signerHealthy() {
        try {
            return signer.healthy();
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- one connection ------------------------------------------------------------------------------------

    enum Kind { KEYGEN, SIGN, REFRESH }

    /** A running session of one link (no secrets: the signer holds P1's state behind {@code handle}). */
    private static final class Running {
        final UUID id;
        final Kind kind;
        final UUID walletId;
        final String keysetId;
        final SignRequest request;
        String handle;
        int lastSeq;
        final long deadline;
        long stepDeadline;

        Running(UUID id, Kind kind, UUID walletId, String keysetId, SignRequest request, long deadline) {
            this.id = id;
            this.kind = kind;
            this.walletId = walletId;
            this.keysetId = keysetId;
            this.request = request;
            this.deadline = deadline;
        }
    }

    /** A failure that ends a session (or refuses a frame) with an error frame. */
    static final class ChannelError extends RuntimeException {
        final String code;

        ChannelError(String code, String detail) {
            super(detail, null, false, false);
            this.code = code;
        }
    }

    /**
     * One device connection. Its frames are handled one at a time, strictly in arrival order
     * (docs/controls-hardening.md §6), on the channel's frame threads, never on the event loop.
     */
    public final class Link {
        private final Caller caller;
        private final long authVersion;
        private final Consumer<String> send;
        private final Closer close;
        private final Map<UUID, Running> sessions = new LinkedHashMap<>();
        private final SerialExecutor inbox = new SerialExecutor(frameThreads, MAX_QUEUED_FRAMES);
        private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
        private volatile long lastFrameAt = System.currentTimeMillis();
        private boolean closed;

        Link(Caller caller, long authVersion, Consumer<String> send, Closer close) {
            this.caller = caller;
            this.authVersion = authVersion;
            this.send = send;
            this.close = close;
        }

        /**
         * A text frame arrived: queued behind the frames before it. Called in arrival order (by the connection's
         * event loop); a device with more than {@link #MAX_QUEUED_FRAMES} frames waiting is disconnected.
         */
        public void receive(String text) {
            lastFrameAt = System.currentTimeMillis();
            long size = text == null ? 0 : text.length();
            if (queuedBytes.addAndGet(size) > MAX_QUEUED_BYTES || !inbox.execute(() -> {
                queuedBytes.addAndGet(-size);
                onFrame(text);
            })) {
                frameThreads.execute(() -> cutOff(CLOSE_POLICY_VIOLATION, "FLOOD", "more than " + MAX_QUEUED_FRAMES
                        + " frames or " + MAX_QUEUED_BYTES / 1024 / 1024 + " MiB waiting; wait for the bank's answers",
                        "flood"));
            }
        }

        /** Handles one text frame from the device (in arrival order, see {@link #receive}). */
        synchronized void onFrame(String text) {
            if (closed) {
                return;
            }
            if (revoked()) {
                return;
            }
            // the channel's one codec (shared-crypto channel.FrameCodec): strict, the same the devices use
            FrameCodec.Decoded<Frame.FromDevice> decoded = FrameCodec.decodeFromDevice(text);
            if (decoded instanceof FrameCodec.Decoded.Refused<Frame.FromDevice> refused) {
                // a malformed frame that names one of this connection's running sessions ends that session
                Running r = sessions.get(sessionNamedIn(text));
                if (r != null) {
                    end(r, "FAILED", refused.code(), refused.detail());
                } else {
                    sendError(null, refused.code(), refused.detail());
                }
                return;
            }
            Frame.FromDevice frame = ((FrameCodec.Decoded.Ok<Frame.FromDevice>) decoded).frame();
            String type = frame.getClass().getSimpleName();
            UUID named = null;
            try {
                if (frame instanceof Frame.Keygen k) {
                    startKeygen(k.walletId());
                } else if (frame instanceof Frame.Sign sg) {
                    startSign(sg.requestId(), sg.signingHash(), sg.shareEpoch());
                } else if (frame instanceof Frame.Refresh rf) {
                    startRefresh(rf.walletId());
                } else if (frame instanceof Frame.Ping) {
                    send(FrameCodec.encode(new Frame.Pong()));
                } else if (frame instanceof Frame.Msg m) {
                    named = sessionId(m.session());
                    onMessage(named, m);
                } else if (frame instanceof Frame.Cancel c) {
                    named = sessionId(c.session());
                    Running r = sessions.get(named);
                    if (r == null) {
                        throw new ChannelError("UNKNOWN_SESSION", "no running session " + named);
                    }
                    end(r, "FAILED", "CANCELLED", "the device cancelled the session");
                }
            } catch (ChannelError e) {
                Running r = named == null ? null : sessions.get(named);
                if (r != null) {
                    end(r, "FAILED", e.code, e.getMessage());
                } else {
                    sendError(named, e.code, e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.error("mpc channel: unexpected failure handling a {} frame ({})", type, e.getClass().getName(), e);
                Running r = named == null ? null : sessions.get(named);
                if (r != null) {
                    end(r, "FAILED", "INTERNAL", "the bank could not process the frame");
                } else {
                    sendError(named, "INTERNAL", "the bank could not process the frame");
                }
            }
        }

        /** The running session a (malformed) frame names in its {@code session} field, if any. */
        private UUID sessionNamedIn(String text) {
            if (text == null || text.length() > MAX_FRAME_BYTES
                    || !(Json.parse(text) instanceof Json.Parsed.Ok ok)
                    || !(ok.value() instanceof Json.Obj o)
                    || !(o.members().get("session") instanceof Json.Str s)) {
                return null;
            }
            try {
                return UUID.fromString(s.value());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** Sends a notification frame (not part of any session). */
        synchronized void push(String text) {
            send(text);
        }

        /** The connection is gone: every running session ends (keygen wallets FAILED). */
        public synchronized void onClose() {
            closed = true;
            links.remove(this);
            for (Running r : new ArrayList<>(sessions.values())) {
                end(r, "FAILED", "DISCONNECTED", "the device disconnected during the session");
            }
        }

        /**
         * docs/controls-hardening.md §2: the user's access was revoked (disabled, roles or password changed, within
         * {@code UserStates.TTL_MILLIS}): every running session ends, the device is told, the connection closes.
         */
        private boolean revoked() {
            boolean current;
            try {
                current = users.current(caller.userId(), authVersion);
            } catch (RuntimeException e) {
                return false; // the database is unreachable: the next state-changing step fails on its own
            }
            if (current) {
                return false;
            }
            cutOff(CLOSE_POLICY_VIOLATION, "REVOKED", "your access was revoked (signed out, disabled or your roles "
                    + "changed); sign in again", "revoked");
            return true;
        }

        /** Ends every running session, tells the device why, and closes the connection. */
        private synchronized void cutOff(int closeCode, String code, String detail, String reason) {
            if (closed) {
                return;
            }
            for (Running r : new ArrayList<>(sessions.values())) {
                end(r, "FAILED", code, detail);
            }
            sendError(null, code, detail);
            closed = true;
            links.remove(this);
            try {
                close.close(closeCode, reason);
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        }

        synchronized void sweep(long now) {
            if (!closed && revoked()) {
                return;
            }
            if (!closed && sessions.isEmpty() && now - lastFrameAt > limits.websocketIdleSeconds() * 1000L) {
                LOG.info("mpc channel: closing {}'s connection after {} s without a frame", caller.username(),
                        limits.websocketIdleSeconds());
                cutOff(CLOSE_GOING_AWAY, "IDLE", "no frame for " + limits.websocketIdleSeconds() + " s; the "
                        + "connection is closed (send a ping frame to keep it open)", "idle");
                return;
            }
            for (Running r : new ArrayList<>(sessions.values())) {
                if (now > r.deadline || now > r.stepDeadline) {
                    end(r, "EXPIRED", "TIMEOUT", now > r.deadline ? "the session took longer than "
                            + config.sessionTimeoutSeconds() + " s" : "no device message within "
                            + config.stepTimeoutSeconds() + " s");
                }
            }
        }

        // ---- keygen

        private void startKeygen(String walletIdText) {
            checkCapacity();
            byte[] sid = new byte[32];
            random.nextBytes(sid);
            UUID sessionId = UUID.randomUUID();
            long now = System.currentTimeMillis();
            long deadline = now + config.sessionTimeoutSeconds() * 1000L;
            Wallet w = tx(c -> {
                Wallet wallet = wallet(c, walletIdText, Set.of(WalletRole.OWNER));
                if (wallet.status() != WalletStatus.PENDING_KEYGEN) {
                    throw new ChannelError("WRONG_STATE", "the wallet is " + wallet.status()
                            + "; keygen needs PENDING_KEYGEN");
                }
                if (runningFor(c, wallet.id(), null, config.stepTimeoutSeconds())) {
                    throw new ChannelError("WRONG_STATE", "a keygen for this wallet is already running");
                }
                insertSession(c, sessionId, Kind.KEYGEN, wallet.id(), null, caller.userId(), sid, deadline);
                audit.append(c, caller.actor(), "KEYGEN_STARTED", payload("walletId", wallet.id().toString(),
                        "keysetId", wallet.keysetId(), "sessionId", sessionId.toString()));
                return wallet;
            });
            Running r = new Running(sessionId, Kind.KEYGEN, w.id(), w.keysetId(), null, deadline);
            sessions.put(sessionId, r);
            send(FrameCodec.encode(new Frame.Started(sessionId.toString(), "KEYGEN", hex(sid), w.id().toString(),
                    null)));
            afterSigner(r, call(() -> signer.keygenStart(w.keysetId(), sid)));
        }

        // ---- refresh (an ADMIN authorized it; the OWNER's device takes part)

        private void startRefresh(String walletIdText) {
            checkCapacity();
            byte[] sid = new byte[32];
            random.nextBytes(sid);
            UUID sessionId = UUID.randomUUID();
            long deadline = System.currentTimeMillis() + config.sessionTimeoutSeconds() * 1000L;
            Wallet w = tx(c -> {
                Wallet wallet = wallet(c, walletIdText, Set.of(WalletRole.OWNER));
                if (wallet.status() != WalletStatus.ACTIVE) {
                    throw new ChannelError("WRONG_STATE", "the wallet is " + wallet.status() + "; refresh needs ACTIVE");
                }
                UUID authorization = openRefreshAuthorization(c, wallet.id());
                if (authorization == null) {
                    throw new ChannelError("NOT_AUTHORIZED", "no unused refresh authorization for this wallet; an "
                            + "administrator must authorize the refresh first");
                }
                if (runningFor(c, wallet.id(), null, config.stepTimeoutSeconds())) {
                    throw new ChannelError("WRONG_STATE", "a keygen or refresh for this wallet is already running");
                }
                insertSession(c, sessionId, Kind.REFRESH, wallet.id(), null, caller.userId(), sid, deadline);
                audit.append(c, caller.actor(), "REFRESH_STARTED", payload("walletId", wallet.id().toString(),
                        "keysetId", wallet.keysetId(), "sessionId", sessionId.toString(), "authorizationId",
                        authorization.toString()));
                return wallet;
            });
            Running r = new Running(sessionId, Kind.REFRESH, w.id(), w.keysetId(), null, deadline);
            sessions.put(sessionId, r);
            send(FrameCodec.encode(new Frame.Started(sessionId.toString(), "REFRESH", hex(sid), w.id().toString(),
                    null)));
            afterSigner(r, call(() -> signer.refreshStart(w.keysetId(), sid)));
        }

        // ---- sign

        private void startSign(String requestIdText, String deviceHash, Integer shareEpoch) {
            checkCapacity();
            byte[] sid = new byte[32];
            random.nextBytes(sid);
            UUID sessionId = UUID.randomUUID();
            long now = System.currentTimeMillis();
            long deadline = now + config.sessionTimeoutSeconds() * 1000L;
            record Prepared(SignRequest request, Wallet wallet, PermitIssuer.Issued permit) {
            }
            Prepared p = tx(c -> {
                UUID rid;
                try {
                    rid = UUID.fromString(requestIdText);
                } catch (IllegalArgumentException e) {
                    throw new ChannelError("NOT_FOUND", "no such sign request");
                }
                SignRequest req = requests.find(c, rid, true)
                        .orElseThrow(() -> new ChannelError("NOT_FOUND", "no such sign request"));
                Wallet wallet;
                try {
                    wallet = wallet(c, req.walletId().toString(), Set.of(WalletRole.OWNER));
                } catch (ChannelError e) {
                    throw e.code.equals("FORBIDDEN") ? e : new ChannelError("NOT_FOUND", "no such sign request");
                }
                if (wallet.status() != WalletStatus.ACTIVE) {
                    throw new ChannelError("WRONG_STATE", "the wallet is " + wallet.status());
                }
                if (req.status() != SignRequest.Status.PENDING) {
                    throw new ChannelError("WRONG_STATE", "the sign request is " + req.status());
                }
                if (req.expired(Instant.now())) {
                    throw new ChannelError("WRONG_STATE", "the sign request expired at " + req.expiresAt());
                }
                boolean locked = wallets.keysetLocked(c, wallet.keysetId());
                boolean sweep = locked && org.mpcwallet.bank.pipeline.store.SweepStore.isSweepSignRequest(c, req.id());
                if (locked && !sweep) {
                    throw new ChannelError("KEY_LOCKED", "the wallet's key is retired after a failed signature; "
                            + "an administrator must rotate it (new wallet, sweep)");
                }
                if (deviceHash == null || !deviceHash.matches("(0x)?[0-9a-fA-F]{64}") || !java.util.Arrays.equals(
                        HexFormat.of().parseHex(deviceHash.replaceFirst("^0x", "")), req.signingHash())) {
                    throw new ChannelError("HASH_MISMATCH", "the device's signing hash differs from the request's "
                            + "(the device must recompute it from the transaction fields)");
                }
                if (runningFor(c, wallet.id(), req.id(), config.stepTimeoutSeconds())) {
                    throw new ChannelError("WRONG_STATE", "this sign request is already being co-signed");
                }
                insertSession(c, sessionId, Kind.SIGN, wallet.id(), req.id(), caller.userId(), sid, deadline);
                byte[] head = audit.headHash();
                List<SigningPermit.Control> controls = new ArrayList<>(List.of(
                        new SigningPermit.Control("caller.wallet-role", "OWNER"),
                        new SigningPermit.Control("wallet.status", "ACTIVE"),
                        new SigningPermit.Control("request.status", "PENDING"),
                        new SigningPermit.Control("device.signing-hash", "match"),
                        new SigningPermit.Control("key.lock", sweep ? "sweep" : "none")));
                List<SigningPermit.Control> pipeline = pipelineControls(c, req.id());
                if (pipeline.isEmpty() && !requests.directAllowed()) {
                    throw new ChannelError("WRONG_STATE", "this sign request is not part of a transaction request, "
                            + "and direct sign requests are disabled");
                }
                controls.addAll(pipeline);
                PermitIssuer.Issued issued = permits.issue(req.id().toString(), wallet.id().toString(),
                        wallet.keysetId(), req.tx(), controls, head);
                audit.append(c, ACTOR, "PERMIT_ISSUED", payload("requestId", req.id().toString(), "walletId",
                        wallet.id().toString(), "keysetId", wallet.keysetId(), "sessionId", sessionId.toString(),
                        "signingHash", hex(req.signingHash()), "expiresAt", issued.permit().expiresAt(),
                        "nonce", hex(issued.permit().nonce()), "auditHead", hex(head),
                        "controls", controls.stream().map(k -> k.name() + "=" + k.result()).toList()));
                audit.append(c, caller.actor(), "SIGN_STARTED", payload("requestId", req.id().toString(),
                        "walletId", wallet.id().toString(), "sessionId", sessionId.toString()));
                return new Prepared(req, wallet, issued);
            });
            if (shareEpoch != null) {
                // a device holding an older epoch's share (e.g. restored from a backup taken before a refresh)
                // would produce a signature that fails and locks the key: refuse it before anything runs
                org.mpcwallet.signer.gateway.GatewayKeyset ks;
                try {
                    ks = signer.keyset(p.wallet.keysetId());
                } catch (SignerUnavailableException e) {
                    ks = null;
                }
                if (ks != null && ks.epoch() != shareEpoch) {
                    tx(c -> {
                        failSession(c, sessionId, "FAILED", "STALE_SHARE", "device share epoch " + shareEpoch);
                        audit.append(c, ACTOR, "SIGN_FAILED", payload("requestId", p.request.id().toString(),
                                "walletId", p.wallet.id().toString(), "sessionId", sessionId.toString(), "code",
                                "STALE_SHARE", "detail", "device share epoch " + shareEpoch));
                        return null;
                    });
                    throw new ChannelError("STALE_SHARE", "the device's share is epoch " + shareEpoch + " but the "
                            + "bank's key is at epoch " + ks.epoch() + "; restore the share saved after the latest "
                            + "refresh");
                }
            }
            Running r = new Running(sessionId, Kind.SIGN, p.wallet.id(), p.wallet.keysetId(), p.request, deadline);
            sessions.put(sessionId, r);
            send(FrameCodec.encode(new Frame.Started(sessionId.toString(), "SIGN", hex(sid),
                    p.wallet.id().toString(), p.request.id().toString())));
            afterSigner(r, call(() -> signer.signStart(p.wallet.keysetId(), sid, p.permit.encoded(),
                    p.permit.signature())));
        }

        // ---- device messages

        private void onMessage(UUID sessionId, Frame.Msg m) {
            Running r = sessions.get(sessionId);
            if (r == null) {
                throw new ChannelError("UNKNOWN_SESSION", "no running session " + sessionId + " on this connection");
            }
            // the codec read seq as an exact integer in 0 .. 2^31 - 1 (2.9 or 2^32 + 2 are not 2: issue 10 §6)
            int seq = (int) m.seq();
            if (r.handle == null || seq != r.lastSeq + 1) {
                throw new ChannelError("OUT_OF_ORDER", "expected seq " + (r.lastSeq + 1) + ", got " + seq
                        + " (replayed, duplicated, reordered or unexpected message)");
            }
            byte[] payload = m.payload();
            r.lastSeq = seq;
            String handle = r.handle;
            r.handle = null;
            afterSigner(r, call(() -> signer.next(handle, payload)));
        }

        /** Applies the signer's reply to a running session: relay, finish or fail. */
        private void afterSigner(Running r, GatewayReply reply) {
            switch (reply.status()) {
                case CONTINUE -> {
                    r.handle = reply.handle();
                    r.lastSeq++;
                    r.stepDeadline = System.currentTimeMillis() + config.stepTimeoutSeconds() * 1000L;
                    tx(c -> {
                        updateSeq(c, r.id, r.lastSeq);
                        return null;
                    });
                    send(FrameCodec.encode(new Frame.Msg(r.id.toString(), r.lastSeq, reply.outbound())));
                }
                case DONE -> finish(r, reply);
                case PERMIT_REFUSED -> {
                    tx(c -> {
                        audit.append(c, ACTOR, "PERMIT_REJECTED", payload("requestId", r.request.id().toString(),
                                "sessionId", r.id.toString(), "kind", reply.failureKind(), "reason",
                                clip(reply.reason())));
                        return null;
                    });
                    end(r, "FAILED", "PERMIT_REFUSED", reply.failureKind() + ": " + reply.reason());
                }
                case ABORTED -> {
                    if (reply.keyLocked() || "KEY_LOCKED".equals(reply.failureKind())) {
                        // a lock found in storage (another instance, an interrupted decryption) is recorded too
                        keyLocked(r, reply);
                    } else {
                        end(r, "FAILED", "PROTOCOL_ABORTED", reply.failureKind() + " at " + reply.reason());
                    }
                }
                case FAILED -> {
                    if (reply.keyLocked()) {
                        keyLocked(r, reply);
                    } else {
                        end(r, "FAILED", "SIGNER_FAILED", reply.failureKind() + ": " + reply.reason());
                    }
                }
            }
        }

        private void finish(Running r, GatewayReply reply) {
            if (r.kind == Kind.REFRESH) {
                tx(c -> {
                    try (PreparedStatement ps = c.prepareStatement("update refresh_authorizations set used_at = now(), "
                            + "session_id = ? where id = (select id from refresh_authorizations where wallet_id = ? "
                            + "and used_at is null and expires_at > now() order by created_at limit 1)")) {
                        ps.setObject(1, r.id);
                        ps.setObject(2, r.walletId);
                        ps.executeUpdate();
                    }
                    int resolved;
                    try (PreparedStatement ps = c.prepareStatement("update incidents set status = 'RESOLVED', "
                            + "resolved_at = now() where wallet_id = ? and kind = 'KEY_LOCKED' and status = 'OPEN'")) {
                        ps.setObject(1, r.walletId);
                        resolved = ps.executeUpdate();
                    }
                    completeSession(c, r.id);
                    audit.append(c, ACTOR, "KEY_REFRESHED", payload("walletId", r.walletId.toString(), "keysetId",
                            r.keysetId, "sessionId", r.id.toString(), "epoch", reply.keyset().epoch(),
                            "incidentsResolved", resolved));
                    return null;
                });
                sessions.remove(r.id);
                send(FrameCodec.encode(new Frame.RefreshDone(r.id.toString(), r.walletId.toString(),
                        reply.keyset().publicKeyHex(), reply.keyset().epoch())));
                return;
            }
            if (r.kind == Kind.KEYGEN) {
                byte[] q = HexFormat.of().parseHex(reply.keyset().publicKeyHex());
                String address = EthAddress.fromPublicKey(q).toChecksumHex();
                tx(c -> {
                    wallets.markActive(c, r.walletId, q, address);
                    completeSession(c, r.id);
                    audit.append(c, ACTOR, "KEYGEN_COMPLETED", payload("walletId", r.walletId.toString(),
                            "keysetId", r.keysetId, "sessionId", r.id.toString(), "address", address,
                            "publicKey", reply.keyset().publicKeyHex()));
                    return null;
                });
                sessions.remove(r.id);
                send(FrameCodec.encode(new Frame.KeygenDone(r.id.toString(), r.walletId.toString(),
                        reply.keyset().publicKeyHex(), address)));
                return;
            }
            GatewayReply.Signature s = reply.signature();
            if (s == null) {
                end(r, "FAILED", "SIGNER_FAILED", "the signer finished a SIGN without a signature");
                return;
            }
            EthTransaction tx = r.request.tx();
            EcdsaSignature signature = new EcdsaSignature(s.r(), s.s(), s.recoveryId());
            byte[] raw = tx.encodeSigned(signature);
            byte[] txHash = tx.transactionHash(signature);
            tx(c -> {
                requests.markSigned(c, r.request, new SignRequest.Signature(s.r(), s.s(), s.recoveryId()), raw,
                        txHash, caller.actor(), r.id);
                completeSession(c, r.id);
                return null;
            });
            sessions.remove(r.id);
            send(FrameCodec.encode(new Frame.SignDone(r.id.toString(), r.request.id().toString(), hex32(s.r()),
                    hex32(s.s()), s.recoveryId(), "0x" + hex(raw), "0x" + hex(txHash))));
        }

        private void keyLocked(Running r, GatewayReply reply) {
            String detail = reply.keyLocked()
                    ? "signature failed verification (" + reply.failureKind() + "); key locked"
                    : "the signer refused: " + reply.reason();
            boolean opened = tx(c -> {
                if (r.request != null) {
                    requests.markFailed(c, r.request, "KEY_LOCKED");
                }
                try (PreparedStatement ps = c.prepareStatement("select 1 from incidents where wallet_id = ? and "
                        + "kind = 'KEY_LOCKED' and status = 'OPEN'")) {
                    ps.setObject(1, r.walletId);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return false; // already known (and being rotated, or waiting for it)
                        }
                    }
                }
                UUID incident = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("insert into incidents (id, kind, wallet_id, "
                        + "keyset_id, session_id, detail, status, created_at) values (?, 'KEY_LOCKED', ?, ?, ?, ?, "
                        + "'OPEN', ?)")) {
                    ps.setObject(1, incident);
                    ps.setObject(2, r.walletId);
                    ps.setString(3, r.keysetId);
                    ps.setObject(4, r.id);
                    ps.setString(5, clip(reply.reason()));
                    ps.setTimestamp(6, Timestamp.from(Instant.now()));
                    ps.executeUpdate();
                }
                audit.append(c, ACTOR, "KEY_LOCKED", payload("walletId", r.walletId.toString(), "keysetId",
                        r.keysetId, "sessionId", r.id.toString(), "incidentId", incident.toString(), "failure",
                        reply.failureKind(), "reason", clip(reply.reason())));
                return true;
            });
            if (opened) {
                LOG.error("mpc channel: wallet {} keyset {} LOCKED (session {}); incident opened", r.walletId,
                        r.keysetId, r.id);
            }
            end(r, "FAILED", "KEY_LOCKED", detail);
        }

        /** Ends a session: signer session abandoned, row updated, keygen wallet FAILED, audit, error frame. */
        private void end(Running r, String status, String code, String detail) {
            if (sessions.remove(r.id) == null) {
                return;
            }
            if (r.handle != null) {
                try {
                    signer.abandon(r.handle);
                } catch (RuntimeException e) {
                    LOG.warn("mpc channel: abandoning signer session of {} failed ({})", r.id,
                            e.getClass().getSimpleName());
                }
            }
            try {
                tx(c -> {
                    failSession(c, r.id, status, code, detail);
                    if (r.kind == Kind.KEYGEN) {
                        Wallet w = wallets.find(c, r.walletId);
                        if (w != null && w.status() == WalletStatus.PENDING_KEYGEN) {
                            wallets.markFailed(c, r.walletId, code + ": " + detail);
                        }
                        audit.append(c, ACTOR, "KEYGEN_FAILED", payload("walletId", r.walletId.toString(),
                                "sessionId", r.id.toString(), "code", code, "detail", clip(detail)));
                    } else if (r.kind == Kind.REFRESH) {
                        audit.append(c, ACTOR, "REFRESH_FAILED", payload("walletId", r.walletId.toString(),
                                "sessionId", r.id.toString(), "code", code, "detail", clip(detail)));
                    } else {
                        audit.append(c, ACTOR, "SIGN_FAILED", payload("requestId", r.request.id().toString(),
                                "walletId", r.walletId.toString(), "sessionId", r.id.toString(), "code", code,
                                "detail", clip(detail)));
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.error("mpc channel: recording the end of session {} failed ({}); the sweeper expires it",
                        r.id, e.getClass().getSimpleName());
            }
            sendError(r.id, code, detail);
        }

        private Wallet wallet(Connection c, String walletId, Set<WalletRole> roles) throws SQLException {
            try {
                return wallets.requireRole(c, caller, walletId, roles, Set.of());
            } catch (WalletException e) {
                throw switch (e.kind()) {
                    case FORBIDDEN -> new ChannelError("FORBIDDEN", "only the wallet's OWNER co-signs with its key");
                    default -> new ChannelError("NOT_FOUND", "no such wallet");
                };
            }
        }

        private void checkCapacity() {
            if (sessions.size() >= MAX_SESSIONS_PER_LINK) {
                throw new ChannelError("BUSY", "at most " + MAX_SESSIONS_PER_LINK + " sessions per connection");
            }
        }

        private GatewayReply call(java.util.function.Supplier<GatewayReply> action) {
            try {
                return action.get();
            } catch (SignerUnavailableException e) {
                return GatewayReply.failure(GatewayReply.Status.FAILED, "SIGNER_UNAVAILABLE", e.getMessage(), false);
            }
        }

        private void sendError(UUID session, String code, String detail) {
            send(FrameCodec.encode(new Frame.Error(session == null ? null : session.toString(), code, clip(detail))));
        }

        private void send(String text) {
            if (closed) {
                return;
            }
            try {
                send.accept(text);
            } catch (RuntimeException e) {
                LOG.warn("mpc channel: sending a frame failed ({})", e.getClass().getSimpleName());
            }
        }

        private UUID sessionId(String session) {
            try {
                return UUID.fromString(session);
            } catch (IllegalArgumentException e) {
                throw new ChannelError("BAD_FRAME", "session must be a UUID");
            }
        }
    }

    // ---- sweeping ------------------------------------------------------------------------------------------

    private void sweep() {
        long now = System.currentTimeMillis();
        for (Link l : links) {
            try {
                l.sweep(now);
            } catch (RuntimeException e) {
                LOG.warn("mpc channel: sweeping a connection failed ({})", e.getClass().getSimpleName());
            }
        }
        // Sessions of a process that died (or lost its connection record) expire at their deadline.
        try {
            tx(c -> {
                List<UUID[]> stale = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set status = 'EXPIRED', "
                        + "failure_code = 'TIMEOUT', failure_detail = 'session not finished by its deadline', "
                        + "updated_at = now() where status = 'RUNNING' and deadline_at < now() - interval '5 seconds' "
                        + "returning id, kind, wallet_id")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if ("KEYGEN".equals(rs.getString(2))) {
                                stale.add(new UUID[] {rs.getObject(1, UUID.class), rs.getObject(3, UUID.class)});
                            }
                        }
                    }
                }
                for (UUID[] s : stale) {
                    Wallet w = wallets.find(c, s[1]);
                    if (w != null && w.status() == WalletStatus.PENDING_KEYGEN) {
                        wallets.markFailed(c, s[1], "TIMEOUT: keygen session " + s[0] + " expired");
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("mpc channel: expiring stale sessions failed ({})", e.getClass().getSimpleName());
        }
    }

    // ---- rows ----------------------------------------------------------------------------------------------

    /**
     * Records a new RUNNING session of {@code userId}'s device, within the caps (docs/controls-hardening.md §4):
     * sessions running at once per user and in total, and key generations per user per hour, counted over every
     * instance. Starts are serialized by a transaction-scoped advisory lock, so two starts cannot both pass a count.
     */
    private void insertSession(Connection c, UUID id, Kind kind, UUID walletId, UUID requestId, UUID userId,
                               byte[] sid, long deadline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            ps.setLong(1, SESSION_START_LOCK);
            ps.execute();
        }
        try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where user_id = ?), count(*) "
                + "from mpc_sessions where status = 'RUNNING' and deadline_at > now() "
                + "and updated_at > now() - make_interval(secs => ?)")) {
            ps.setObject(1, userId);
            ps.setInt(2, config.stepTimeoutSeconds() + STALE_MARGIN_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) >= limits.mpcSessionsPerUser()) {
                    throw new ChannelError("BUSY", "at most " + limits.mpcSessionsPerUser() + " of your sessions may "
                            + "run at once; wait for one to end");
                }
                if (rs.getInt(2) >= limits.mpcSessionsTotal()) {
                    throw new ChannelError("BUSY", "the bank is running as many sessions as it can; try again in a "
                            + "moment");
                }
            }
        }
        if (kind == Kind.KEYGEN) {
            try (PreparedStatement ps = c.prepareStatement("select count(*), extract(epoch from min(created_at) + interval '1 hour' - now()) "
                    + "from mpc_sessions where kind = 'KEYGEN' and user_id = ? and created_at > now() - interval '1 hour'")) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= limits.keygensPerUserPerHour()) {
                        long minutes = Math.max(1, (long) Math.ceil(rs.getDouble(2) / 60.0));
                        throw new ChannelError("RATE_LIMITED", "at most " + limits.keygensPerUserPerHour()
                                + " key generations per hour; try again in " + minutes + " min");
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into mpc_sessions (id, kind, wallet_id, request_id, "
                + "user_id, status, sid, last_seq, created_at, updated_at, deadline_at) "
                + "values (?, ?, ?, ?, ?, 'RUNNING', ?, 0, now(), now(), ?)")) {
            ps.setObject(1, id);
            ps.setString(2, kind.name());
            ps.setObject(3, walletId);
            ps.setObject(4, requestId);
            ps.setObject(5, userId);
            ps.setBytes(6, sid);
            ps.setTimestamp(7, new Timestamp(deadline));
            ps.executeUpdate();
        }
    }

    /**
     * Whether a session of the wallet (a keygen or refresh, or one for {@code requestId}) is running. A RUNNING row
     * that made no progress for longer than a step may take (plus a margin) belongs to an instance that died (kill
     * -9, power loss): a live instance would have ended it for the step timeout, so it no longer blocks a new
     * session; the sweeper marks it EXPIRED at its deadline.
     */
    private static boolean runningFor(Connection c, UUID walletId, UUID requestId, int stepTimeoutSeconds)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from mpc_sessions where status = 'RUNNING' and "
                + "wallet_id = ? and " + (requestId == null ? "kind in ('KEYGEN', 'REFRESH')" : "request_id = ?")
                + " and deadline_at > now() and updated_at > now() - make_interval(secs => ?)")) {
            ps.setObject(1, walletId);
            int i = 2;
            if (requestId != null) {
                ps.setObject(i++, requestId);
            }
            ps.setInt(i, stepTimeoutSeconds + STALE_MARGIN_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * For a sign request of the custody pipeline: the transaction request must be SIGN_PENDING on exactly this sign
     * request; its KYT, policy and approval results go into the permit's controls snapshot. Empty otherwise.
     */
    private static List<SigningPermit.Control> pipelineControls(Connection c, UUID signRequestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select t.id, t.status, t.sign_request_id, t.kyt_verdict, "
                + "t.policy_result, t.required_approvals, (select count(*) from approvals a where a.tx_request_id = "
                + "t.id and a.decision = 'APPROVE') from tx_requests t join sign_requests s on s.tx_request_id = t.id "
                + "where s.id = ? for share of t")) {
            ps.setObject(1, signRequestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                if (!"SIGN_PENDING".equals(rs.getString(2)) || !signRequestId.equals(rs.getObject(3, UUID.class))) {
                    throw new ChannelError("WRONG_STATE", "the transaction request is " + rs.getString(2)
                            + "; this sign request is not the one it waits for");
                }
                return List.of(new SigningPermit.Control("tx-request", rs.getString(1)),
                        new SigningPermit.Control("kyt", String.valueOf(rs.getString(4))),
                        new SigningPermit.Control("policy", String.valueOf(rs.getString(5))),
                        new SigningPermit.Control("approvals", rs.getLong(7) + "/" + rs.getInt(6)));
            }
        }
    }

    private static UUID openRefreshAuthorization(Connection c, UUID walletId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from refresh_authorizations where wallet_id = ? and "
                + "used_at is null and expires_at > now() order by created_at limit 1 for update")) {
            ps.setObject(1, walletId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** Added to the step timeout before a RUNNING session without progress counts as left by a dead instance. */
    static final int STALE_MARGIN_SECONDS = 15;

    private static void updateSeq(Connection c, UUID id, int seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set last_seq = ?, updated_at = now() "
                + "where id = ? and status = 'RUNNING'")) {
            ps.setInt(1, seq);
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    private static void completeSession(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set status = 'COMPLETED', "
                + "updated_at = now() where id = ? and status = 'RUNNING'")) {
            ps.setObject(1, id);
            if (ps.executeUpdate() != 1) {
                throw new ChannelError("TIMEOUT", "the session expired before it completed");
            }
        }
    }

    private static void failSession(Connection c, UUID id, String status, String code, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update mpc_sessions set status = ?, failure_code = ?, "
                + "failure_detail = ?, updated_at = now() where id = ? and status = 'RUNNING'")) {
            ps.setString(1, status);
            ps.setString(2, code);
            ps.setString(3, clip(detail));
            ps.setObject(4, id);
            ps.executeUpdate();
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private <T> T tx(Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, work, WalletService.WalletStoreException::new);
    }

    /** An audit payload (JSON of the key/value pairs). */
    private String payload(Object... kv) {
        return AuditPayload.of(json, kv);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String hex32(BigInteger v) {
        return hex(SignRequestService.fixed32(v));
    }

    static String clip(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\p{Cntrl}", " ");
        return t.length() > 300 ? t.substring(0, 300) : t;
    }
}
