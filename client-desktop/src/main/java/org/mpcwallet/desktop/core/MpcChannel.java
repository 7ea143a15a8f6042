package org.mpcwallet.desktop.core;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.OnlineSignDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.device.ShareSink;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The MPC channel (docs/mpc-channel.md "WebSocket /v1/mpc/ws") over the Tyrus jakarta WebSocket client. The access
 * token goes in the upgrade request's {@code Authorization: Bearer} header. Runs one device session (shared-crypto {@code device}: {@link DeviceSession}) at a time:
 * sends its opening frame, feeds it every frame from the bank and sends what it answers, until it finishes, the
 * session's own deadline passes ({@code TIMEOUT}, and a {@code cancel} is sent) or the connection drops
 * ({@code DISCONNECTED}).
 */
public final class MpcChannel implements AutoCloseable {
    /** The device's own limit for one session; the bank's default is 120 s. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(150);
    /** How long opening the WebSocket may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final ClientManager client;
    private final Session ws;
    private final BlockingQueue<Event> events;
    private final Env env = Env.jvm(new SecureRandom()::nextBytes);
    private Consumer<DeviceSession.Progress> progress = p -> {};
    private Consumer<String> sending = f -> {};

    private record Event(String frame, String closed) {}

    private MpcChannel(ClientManager client, Session ws, BlockingQueue<Event> events) {
        this.client = client;
        this.ws = ws;
        this.events = events;
    }

    /** {@code http://host:port} → {@code ws://host:port/v1/mpc/ws} (https → wss). */
    public static URI endpoint(String serverUrl) {
        String s = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        if (s.startsWith("https://")) {
            return URI.create("wss://" + s.substring(8) + "/v1/mpc/ws");
        }
        if (s.startsWith("http://")) {
            return URI.create("ws://" + s.substring(7) + "/v1/mpc/ws");
        }
        throw new WalletException("the server URL must start with http:// or https://");
    }

    /** Opens the WebSocket with the bearer token. */
    public static MpcChannel connect(String serverUrl, String accessToken, Duration connectTimeout) {
        URI uri = endpoint(serverUrl);
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Authorization", List.of("Bearer " + accessToken));
                    }
                }).build();
        Endpoint endpoint = new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig cfg) {
                session.setMaxTextMessageBufferSize(FrameCodec.MAX_FRAME_BYTES * 4 + 1024);
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                        events.add(new Event(text, null)));
            }

            @Override
            public void onClose(Session session, CloseReason reason) {
                events.add(new Event(null, "closed by the bank (" + reason.getCloseCode().getCode()
                        + (reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? ""
                        : " " + reason.getReasonPhrase()) + ")"));
            }

            @Override
            public void onError(Session session, Throwable t) {
                events.add(new Event(null, "connection error (" + t.getClass().getSimpleName() + ")"));
            }
        };
        ClientManager client = ClientManager.createClient();
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, (int) connectTimeout.toMillis());
        try {
            Session ws = client.connectToServer(endpoint, config, uri);
            return new MpcChannel(client, ws, events);
        } catch (DeploymentException | IOException e) {
            client.shutdown();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (accessToken != null && !accessToken.isEmpty()) {
                why = why.replace(accessToken, "<token>");
            }
            throw new MpcException("CONNECT_FAILED", "cannot open " + uri + ": " + why);
        }
    }

    /**
     * Creates the wallet's key with the bank; {@code sink} seals the share before K4 leaves; {@code deviceParams} are
     * this device's own ring-Pedersen parameters ({@link DeviceRingPedersen}).
     */
    public KeygenDriver.Result keygen(String walletId, ShareSink sink, ProvenRingPedersen deviceParams,
            Duration timeout) {
        return run(new KeygenDriver(walletId, sink, deviceParams, env), timeout);
    }

    /** Co-signs a checked transaction with the share. */
    public SignDriver.Result sign(String requestId, EthTransaction tx, P2KeyShare share, Duration timeout) {
        return run(new SignDriver(requestId, tx, share, env), timeout);
    }

    /** Refreshes the wallet's key with the bank; {@code sink} seals the new share before R4 leaves. */
    public RefreshDriver.Result refresh(String walletId, P2KeyShare current, ShareSink sink,
                                         ProvenRingPedersen deviceParams, Duration timeout) {
        return run(new RefreshDriver(walletId, current, sink, deviceParams, env), timeout);
    }

    /**
     * Makes one presignature for the wallet's pool (docs/presign-online.md): a {@code presign} frame, the bank's
     * {@code started} (kind PRESIGN, this wallet), S1 in, S2 out, S3 in. The result is secret and single use.
     */
    public P2Presignature presign(String walletId, P2KeyShare share, Duration timeout) {
        return runStarted(FrameCodec.encode(new Frame.Presign(walletId)), s -> {
            if (!"PRESIGN".equals(s.kind()) || !walletId.equals(s.walletId())) {
                throw new MpcException("BAD_FRAME", "the bank started a " + s.kind() + " session, not PRESIGN for "
                        + "wallet " + walletId);
            }
            return OnlineSignDriver.presign(s.session(), Bytes.fromHex(s.sid()), share, env);
        }, null, timeout);
    }

    /**
     * Co-signs a checked transaction online with {@code presignature}, which the caller has already deleted from
     * its pool (it is spent by O1, the device's only message): an {@code online} frame, the bank's {@code started}
     * (kind ONLINE, this request), O1 out, the SIGN {@code done} in, verified as SIGN's is.
     */
    public SignDriver.Result online(String requestId, EthTransaction tx, P2KeyShare share, P2Presignature presignature,
            Duration timeout) {
        String opening = FrameCodec.encode(new Frame.Online(requestId, Bytes.toHex(tx.signingHash()), share.epoch(),
                presignature.idHex()));
        return runStarted(opening, s -> {
            if (!"ONLINE".equals(s.kind()) || !requestId.equals(s.requestId())) {
                throw new MpcException("BAD_FRAME", "the bank started a " + s.kind() + " session, not ONLINE for "
                        + "request " + requestId);
            }
            return OnlineSignDriver.online(s.session(), requestId, tx, share, presignature, env);
        }, ONLINE_STEPS, timeout);
    }

    /** What the window's progress bar says during an online co-signing (one round trip, no protocol rounds). */
    private static final List<String> ONLINE_STEPS = List.of("Asking the bank to start (online, with a "
            + "presignature)", "Waiting for the bank's signature", "Signature verified");

    /**
     * Hears every frame just before it is sent, on the thread running the session (diagnostics; the tests check
     * that a presignature's file is gone before its O1 leaves). Frames hold no secret of the device.
     */
    public MpcChannel onSend(Consumer<String> listener) {
        this.sending = listener == null ? f -> {} : listener;
        return this;
    }

    /**
     * Runs a session that shared-crypto drives with an {@link OnlineSignDriver}, made from the bank's {@code started}
     * by {@code make}: the opening is sent, a bank's {@code error} before {@code started} is the session's failure
     * ({@code PRESIGNATURE_UNAVAILABLE}, {@code STALE_SHARE}, ...), then frames go to the driver as in {@link #run}.
     * {@code steps} labels the progress (null: none is reported, as for the background presigning).
     */
    private <R> R runStarted(String opening, java.util.function.Function<Frame.Started, OnlineSignDriver<R>> make,
            List<String> steps, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        send(opening);
        report(steps, 0);
        OnlineSignDriver<R> driver = null;
        while (true) {
            String text = nextFrame(deadline, timeout, driver == null ? List::of : driver::abandon);
            DeviceSession.Reaction<R> reaction;
            if (driver == null) {
                FrameCodec.Decoded<Frame.FromBank> decoded = FrameCodec.decodeFromBank(text);
                if (decoded instanceof FrameCodec.Decoded.Refused<Frame.FromBank> r) {
                    throw new MpcException(r.code(), "the bank sent a malformed frame: " + r.detail());
                }
                Frame.FromBank f = ((FrameCodec.Decoded.Ok<Frame.FromBank>) decoded).frame();
                if (f instanceof Frame.Cosign || f instanceof Frame.Pong) {
                    continue;
                }
                if (f instanceof Frame.Error e) {
                    throw new MpcException(e.code(), e.detail());
                }
                if (!(f instanceof Frame.Started s)) {
                    throw new MpcException("OUT_OF_ORDER", "expected 'started' first, got "
                            + f.getClass().getSimpleName());
                }
                driver = make.apply(s);
                reaction = driver.open();
                report(steps, 1);
            } else {
                reaction = driver.onFrame(text);
            }
            R result = settle(reaction);
            if (result != null) {
                report(steps, 2);
                return result;
            }
        }
    }

    private void report(List<String> steps, int step) {
        if (steps != null) {
            progress.accept(new DeviceSession.Progress(step, steps.size() - 1, steps.get(step)));
        }
    }

    /** The next frame from the bank before {@code deadline}; on a timeout or an interrupt {@code abandon}'s frames go. */
    private String nextFrame(long deadline, Duration timeout, java.util.function.Supplier<List<String>> abandon) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                abandon.get().forEach(this::sendQuietly);
                throw new MpcException("TIMEOUT", "the session did not finish within " + timeout.toSeconds() + " s");
            }
            Event e;
            try {
                e = events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                abandon.get().forEach(this::sendQuietly);
                throw new MpcException("CANCELLED", "interrupted");
            }
            if (e == null) {
                continue;
            }
            if (e.closed() != null) {
                throw new MpcException("DISCONNECTED", e.closed());
            }
            return e.frame();
        }
    }

    /**
     * Tells {@code listener} where each session run on this channel is ({@link DeviceSession#progress}), on the
     * thread running it, after the opening and after every frame from the bank (a window's progress bar).
     */
    public MpcChannel onProgress(Consumer<DeviceSession.Progress> listener) {
        this.progress = listener == null ? p -> {} : listener;
        return this;
    }

    /** Runs one session to its end. */
    public <R> R run(DeviceSession<R> session, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        send(session.opening());
        progress.accept(session.progress());
        while (true) {
            DeviceSession.Reaction<R> reaction = session.onFrame(nextFrame(deadline, timeout, session::abandon));
            progress.accept(session.progress());
            R result = settle(reaction);
            if (result != null) {
                return result;
            }
        }
    }

    /** Sends what a reaction says (quietly when it failed); its failure is thrown; its result, or null, returned. */
    private <R> R settle(DeviceSession.Reaction<R> reaction) {
        for (String out : reaction.send()) {
            if (reaction.failure() != null) {
                sendQuietly(out);
            } else {
                send(out);
            }
        }
        if (reaction.failure() != null) {
            throw new MpcException(reaction.failure().code(), reaction.failure().detail());
        }
        return reaction.result();
    }

    private void send(String frame) {
        sending.accept(frame);
        try {
            ws.getBasicRemote().sendText(frame);
        } catch (IOException | IllegalStateException e) {
            throw new MpcException("DISCONNECTED", "cannot send to the bank (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void sendQuietly(String frame) {
        sending.accept(frame);
        try {
            ws.getBasicRemote().sendText(frame);
        } catch (IOException | RuntimeException ignored) {
            // the session is over anyway
        }
    }

    @Override
    public void close() {
        try {
            if (ws.isOpen()) {
                ws.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
            }
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort
        } finally {
            client.shutdown();
        }
    }
}
