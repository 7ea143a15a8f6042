package org.mpcwallet.bank.mpc.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.mpcwallet.bank.auth.app.UserStates;
import org.mpcwallet.bank.auth.domain.WalletRole;
import org.mpcwallet.bank.db.TransactionRunner;
import org.mpcwallet.bank.limits.LimitsConfig;
import org.mpcwallet.bank.mpc.channel.ChannelAction;
import org.mpcwallet.bank.mpc.channel.ChannelInput;
import org.mpcwallet.bank.mpc.channel.ChannelSession;
import org.mpcwallet.bank.mpc.channel.RunningSession;
import org.mpcwallet.bank.mpc.channel.SignerCall;
import org.mpcwallet.bank.mpc.event.CosignRequested;
import org.mpcwallet.bank.sched.Periodic;
import org.mpcwallet.bank.sched.SerialExecutor;
import org.mpcwallet.bank.wallet.app.Caller;
import org.mpcwallet.bank.wallet.domain.RoleGrant;
import org.mpcwallet.bank.wallet.persistence.WalletRepository;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.signer.gateway.GatewayFailureKind;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.gateway.SignerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MPC channel between a device (P2) and the bank signer (P1), independent of the transport
 * (docs/mpc-channel.md): the runner of {@link ChannelSession}. One {@link Link} per WebSocket connection holds the
 * connection's state; each input (a frame, time passing, the connection closing) goes through the pure transition,
 * and the runner performs the actions it returns in order — opening sessions ({@link SessionStarts}), calling the
 * signer, recording ({@link SessionRecords}), sending — feeding their answers back. A failure ends that session only.
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
    public static final int CLOSE_GOING_AWAY = ChannelAction.CLOSE_GOING_AWAY;
    public static final int CLOSE_POLICY_VIOLATION = ChannelAction.CLOSE_POLICY_VIOLATION;
    static final int MAX_SESSIONS_PER_LINK = 4;
    private static final String INTERNAL_DETAIL = "the bank could not process the frame";

    private final TransactionRunner transactions;
    private final SignerGateway signer;
    private final SessionStarts starts;
    private final SessionRecords records;
    private final WalletRepository walletRoles;
    private final UserStates users;
    private final ChannelSession channel;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    /** The threads that handle frames (each connection's frames one at a time, see {@link Link#receive}). */
    private final ExecutorService frameThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("mpc-frame-", 0).factory());
    private final Periodic sweeper;

    public MpcChannel(TransactionRunner transactions, SignerGateway signer, SessionStarts starts,
                      SessionRecords records, WalletRepository walletRoles, SignerConfig config, UserStates users,
                      LimitsConfig limits) {
        this.transactions = transactions;
        this.signer = signer;
        this.starts = starts;
        this.records = records;
        this.walletRoles = walletRoles;
        this.users = users;
        this.channel = new ChannelSession(new ChannelSession.Rules(MAX_SESSIONS_PER_LINK,
                config.sessionTimeoutSeconds(), config.stepTimeoutSeconds(), limits.websocketIdleSeconds()));
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
     * ({@code {"type":"cosign","txRequestId","requestId","walletId"}}); best effort — the device also finds it over
     * REST.
     */
    @EventListener
    public void onCosignRequested(CosignRequested e) {
        Set<UUID> owners = new HashSet<>();
        try {
            transactions.inTransaction(() -> {
                for (RoleGrant g : walletRoles.roles(e.walletId())) {
                    if (g.role() == WalletRole.OWNER) {
                        owners.add(g.userId());
                    }
                }
                return null;
            });
        } catch (RuntimeException ex) {
            LOG.warn("mpc channel: finding the owners of {} failed ({})", e.walletId(), ex.getClass().getSimpleName());
            return;
        }
        String text = FrameCodec.encode(new Frame.Cosign(e.txRequestId().toString(), e.signRequestId().toString(),
                e.walletId().toString()));
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

    private void sweep() {
        long now = System.currentTimeMillis();
        for (Link l : links) {
            try {
                l.tick(now);
            } catch (RuntimeException e) {
                LOG.warn("mpc channel: sweeping a connection failed ({})", e.getClass().getSimpleName());
            }
        }
        try {
            records.expireOverdue();
        } catch (RuntimeException e) {
            LOG.warn("mpc channel: expiring stale sessions failed ({})", e.getClass().getSimpleName());
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
        private final SerialExecutor inbox = new SerialExecutor(frameThreads, MAX_QUEUED_FRAMES);
        private final AtomicLong queuedBytes = new AtomicLong();
        private volatile long lastFrameAt = System.currentTimeMillis();
        /** The connection's sessions; changed only by {@link #handle} (under this link's lock). */
        private ChannelSession.State state = ChannelSession.State.open();

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
                frameThreads.execute(() -> handle(new ChannelInput.CutOff(CLOSE_POLICY_VIOLATION, "FLOOD",
                        "more than " + MAX_QUEUED_FRAMES + " frames or " + MAX_QUEUED_BYTES / 1024 / 1024
                                + " MiB waiting; wait for the bank's answers", "flood")));
            }
        }

        /** Handles one text frame from the device (in arrival order, see {@link #receive}). */
        synchronized void onFrame(String text) {
            if (state.closed()) {
                return;
            }
            handle(revoked() ? revocation() : new ChannelInput.FrameText(text));
        }

        /** The connection is gone: every running session ends (keygen wallets FAILED). */
        public synchronized void onClose() {
            handle(new ChannelInput.Closed());
        }

        /** Time passed: revocation, idleness and deadlines. */
        synchronized void tick(long now) {
            if (state.closed()) {
                return;
            }
            handle(revoked() ? revocation() : new ChannelInput.Tick(now, lastFrameAt));
        }

        /** Sends a notification frame (not part of any session). */
        synchronized void push(String text) {
            if (!state.closed()) {
                send(text);
            }
        }

        /**
         * docs/controls-hardening.md §2: whether the user's access was revoked (disabled, roles or password changed,
         * within {@code UserStates.TTL_MILLIS}).
         */
        private boolean revoked() {
            try {
                return !users.current(caller.userId(), authVersion);
            } catch (RuntimeException e) {
                return false; // the database is unreachable: the next state-changing step fails on its own
            }
        }

        private ChannelInput revocation() {
            return new ChannelInput.CutOff(CLOSE_POLICY_VIOLATION, "REVOKED", "your access was revoked (signed "
                    + "out, disabled or your roles changed); sign in again", "revoked");
        }

        /** Runs the transition on {@code first} and on every answer its actions produce, in order. */
        private synchronized void handle(ChannelInput first) {
            Deque<ChannelInput> inputs = new ArrayDeque<>();
            inputs.add(first);
            while (!inputs.isEmpty()) {
                ChannelSession.Step step = channel.next(state, inputs.poll());
                state = step.state();
                for (ChannelAction action : step.actions()) {
                    ChannelInput answer = perform(action);
                    if (answer instanceof ChannelInput.Failed) {
                        inputs.add(answer); // the rest of this step's actions are dropped
                        break;
                    }
                    if (answer != null) {
                        inputs.add(answer);
                    }
                }
            }
            if (state.closed()) {
                links.remove(this);
            }
        }

        /** Performs one action; returns its answer (or {@link ChannelInput.Failed} when a required one failed). */
        private ChannelInput perform(ChannelAction action) {
            try {
                return act(action);
            } catch (ChannelRefusal e) {
                return failed(action, e.code, e.getMessage());
            } catch (RuntimeException e) {
                if (!action.required()) {
                    LOG.warn("mpc channel: {} failed ({})", action.getClass().getSimpleName(),
                            e.getClass().getSimpleName());
                    return null;
                }
                LOG.error("mpc channel: {} failed ({})", action.getClass().getSimpleName(), e.getClass().getName(), e);
                return failed(action, "INTERNAL", INTERNAL_DETAIL);
            }
        }

        private ChannelInput act(ChannelAction action) {
            if (action instanceof ChannelAction.Send s) {
                send(FrameCodec.encode(s.frame()));
            } else if (action instanceof ChannelAction.OpenSession o) {
                return starts.open(caller, o.request());
            } else if (action instanceof ChannelAction.CallSigner c) {
                return new ChannelInput.SignerReplied(c.session(), call(c.call()), System.currentTimeMillis());
            } else if (action instanceof ChannelAction.RecordStep r) {
                records.step(r.session(), r.seq());
            } else if (action instanceof ChannelAction.RecordKeygen r) {
                records.keygen(r);
            } else if (action instanceof ChannelAction.RecordRefreshed r) {
                records.refreshed(r);
            } else if (action instanceof ChannelAction.RecordSignature r) {
                records.signature(caller, r);
            } else if (action instanceof ChannelAction.RecordPresigned r) {
                records.presigned(r);
            } else if (action instanceof ChannelAction.RecordPermitRefused r) {
                records.permitRefused(r);
            } else if (action instanceof ChannelAction.RecordKeyLocked r) {
                records.keyLocked(r);
            } else if (action instanceof ChannelAction.AbandonSigner a) {
                signer.abandon(a.handle());
            } else if (action instanceof ChannelAction.RecordEnd r) {
                records.ended(r);
            } else if (action instanceof ChannelAction.Close c) {
                close.close(c.code(), c.reason());
            }
            return null;
        }

        /** A required action failed: the session it concerns ends; a session that could not open is refused. */
        private ChannelInput failed(ChannelAction action, String code, String detail) {
            if (action instanceof ChannelAction.OpenSession) {
                return new ChannelInput.StartRefused(code, detail);
            }
            RunningSession r = sessionOf(action);
            if (r == null) {
                LOG.warn("mpc channel: {} failed for a session that is no longer running ({})",
                        action.getClass().getSimpleName(), code);
                return null;
            }
            return new ChannelInput.Failed(r, code, detail);
        }

        private RunningSession sessionOf(ChannelAction action) {
            if (action instanceof ChannelAction.CallSigner c) {
                return state.sessions().get(c.session());
            } else if (action instanceof ChannelAction.RecordStep r) {
                return state.sessions().get(r.session());
            } else if (action instanceof ChannelAction.RecordKeygen r) {
                return r.session();
            } else if (action instanceof ChannelAction.RecordRefreshed r) {
                return r.session();
            } else if (action instanceof ChannelAction.RecordSignature r) {
                return r.session();
            } else if (action instanceof ChannelAction.RecordPresigned r) {
                return r.session();
            } else if (action instanceof ChannelAction.RecordPermitRefused r) {
                return r.session();
            } else if (action instanceof ChannelAction.RecordKeyLocked r) {
                return r.session();
            }
            return null;
        }

        private GatewayReply call(SignerCall call) {
            try {
                if (call instanceof SignerCall.KeygenStart k) {
                    return signer.keygenStart(k.keysetId(), k.sid());
                } else if (call instanceof SignerCall.RefreshStart r) {
                    return signer.refreshStart(r.keysetId(), r.sid());
                } else if (call instanceof SignerCall.SignStart s) {
                    return signer.signStart(s.keysetId(), s.sid(), s.permit(), s.permitSignature());
                } else if (call instanceof SignerCall.PresignStart p) {
                    return signer.presignStart(p.keysetId(), p.sid());
                } else if (call instanceof SignerCall.Online o) {
                    return signer.online(o.keysetId(), o.online().presignatureId(), o.online().permit(),
                            o.online().permitSignature(), o.o1());
                }
                SignerCall.Next n = (SignerCall.Next) call;
                return signer.next(n.handle(), n.payload());
            } catch (SignerUnavailableException e) {
                return new GatewayReply.Failed(GatewayFailureKind.SIGNER_UNAVAILABLE, e.getMessage(), false);
            }
        }

        /** Sends a frame; the transition sends nothing once the connection is gone. */
        private void send(String text) {
            try {
                send.accept(text);
            } catch (RuntimeException e) {
                LOG.warn("mpc channel: sending a frame failed ({})", e.getClass().getSimpleName());
            }
        }
    }
}
