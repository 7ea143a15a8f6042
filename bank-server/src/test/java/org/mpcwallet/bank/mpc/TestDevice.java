package org.mpcwallet.bank.mpc;

import io.micronaut.json.JsonMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.OnlineSignDriver;
import org.mpcwallet.crypto.device.SessionFailure;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Envelope;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP2;
import org.mpcwallet.crypto.protocol.refresh.RefreshP2;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.SignMessages;
import org.mpcwallet.crypto.protocol.sign.SignP2;

/**
 * A test device (P2) on the real WebSocket: the JDK WebSocket client, frames as in docs/mpc-channel.md, the
 * shared-crypto P2 state machines. Lets a test tamper with, replay or drop frames.
 */
public final class TestDevice implements AutoCloseable {
    /** The test device's own ring-Pedersen parameters (the fixed-prime fixture; a real device makes its own). */
    public static final org.mpcwallet.crypto.zk.ProvenRingPedersen DEVICE_PARAMS =
            org.mpcwallet.crypto.parity.TestRingPedersen.proven("bank-server-device",
                    org.mpcwallet.crypto.core.ModPow.JAVA);

    private final JsonMapper json;
    private final BlockingQueue<Map<String, Object>> inbox = new LinkedBlockingQueue<>();
    /** {@code cosign} notifications (not part of any session). */
    public final BlockingQueue<Map<String, Object>> notifications = new LinkedBlockingQueue<>();
    private final WebSocket ws;
    private final Env env = Env.jvm(new SecureRandom()::nextBytes);
    /** Each received frame's text, for drivers that read frames as the wire carries them (shared device core). */
    private final Map<Map<String, Object>, String> texts =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    private TestDevice(WebSocket ws, JsonMapper json) {
        this.ws = ws;
        this.json = json;
    }

    /** Connects with {@code authorization} (or without the header when null); throws if the upgrade is refused. */
    public static TestDevice connect(JsonMapper json, int port, String authorization) {
        return connect(json, port, authorization, "/v1/mpc/ws");
    }

    /** Connects with a single-use ticket instead of a bearer header (as the browser does). */
    public static TestDevice connectWithTicket(JsonMapper json, int port, String ticket) {
        return connect(json, port, null, "/v1/mpc/ws?ticket=" + ticket);
    }

    private static TestDevice connect(JsonMapper json, int port, String authorization, String path) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        Listener listener = new Listener();
        WebSocket ws = b.buildAsync(URI.create("ws://localhost:" + port + path), listener).join();
        TestDevice d = new TestDevice(ws, json);
        listener.device = d;
        return d;
    }

    private static final class Listener implements WebSocket.Listener {
        TestDevice device;
        private final StringBuilder partial = new StringBuilder();

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    Map<String, Object> f = device.json.readValue(partial.toString(), Map.class);
                    device.texts.put(f, partial.toString());
                    (("cosign".equals(f.get("type"))) ? device.notifications : device.inbox).add(f);
                } catch (Exception e) {
                    device.inbox.add(Map.of("type", "unparseable"));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            device.inbox.add(Map.of("type", "closed", "code", statusCode, "reason", reason == null ? "" : reason));
            return null;
        }
    }

    public void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    public void send(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        try {
            sendRaw(json.writeValueAsString(m));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame within {@code wait}, or null when none came. */
    public Map<String, Object> next(Duration wait) {
        try {
            return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> next() {
        try {
            // Generous: a frame is normally there within a second or two, but a CI machine with two busy cores once
            // took longer than 30 s. On a timeout the threads' stacks go to the log, to show where the bank waits.
            Map<String, Object> f = inbox.poll(90, TimeUnit.SECONDS);
            if (f == null) {
                StringBuilder dump = new StringBuilder("TestDevice: no frame within 90 s; threads:\n");
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    dump.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                    for (StackTraceElement e : stack) {
                        dump.append("    at ").append(e).append('\n');
                    }
                });
                System.err.println(dump);
                System.err.println(virtualThreads());
                throw new AssertionError("no frame from the bank within 90 s");
            }
            return f;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every thread's stack, virtual threads included (which {@code Thread.getAllStackTraces} leaves out: the channel's
     * links run on them), the frames of the bank's own code only, for a test that waited in vain.
     */
    private static String virtualThreads() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("threads-", ".txt");
            java.nio.file.Files.delete(file);
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            StringBuilder out = new StringBuilder("TestDevice: threads with the bank's frames (virtual included):\n");
            String current = null;
            boolean shown = false;
            for (String line : java.nio.file.Files.readAllLines(file)) {
                if (line.startsWith("#")) {
                    current = line;
                    shown = false;
                } else if (line.contains("org.mpcwallet.bank") || line.contains("org.mpcwallet.signer")) {
                    if (!shown && current != null) {
                        out.append(current).append('\n');
                        shown = true;
                    }
                    out.append(line).append('\n');
                }
            }
            java.nio.file.Files.deleteIfExists(file);
            return out.toString();
        } catch (java.io.IOException | RuntimeException e) {
            return "TestDevice: no thread dump (" + e + ")";
        }
    }

    /** The next frame, which must have {@code type}; otherwise the test fails showing the frame. */
    public Map<String, Object> expect(String type) {
        Map<String, Object> f = next();
        if (!type.equals(f.get("type"))) {
            throw new AssertionError("expected a '" + type + "' frame, got " + f);
        }
        return f;
    }

    /** Frames not yet read within {@code millis}, or null. */
    public Map<String, Object> poll(long millis) throws InterruptedException {
        return inbox.poll(millis, TimeUnit.MILLISECONDS);
    }

    public static byte[] payload(Map<String, Object> msg) {
        return Base64.getDecoder().decode((String) msg.get("payload"));
    }

    /** Result of a keygen: the device's share and the bank's done frame. */
    public record Keygen(P2KeyShare share, Map<String, Object> done) {
    }

    /** Runs keygen for {@code walletId} honestly; returns the share and the done frame. */
    public Keygen keygen(String walletId) {
        send("type", "keygen", "walletId", walletId);
        Map<String, Object> started = expect("started");
        String session = (String) started.get("session");
        byte[] sid = HexFormat.of().parseHex((String) started.get("sid"));
        KeygenP2.State state = KeygenP2.start(sid, DEVICE_PARAMS);
        P2KeyShare share = null;
        while (share == null) {
            Map<String, Object> m = expect("msg");
            int seq = ((Number) m.get("seq")).intValue();
            Step<KeygenP2.State, P2KeyShare> step = KeygenP2.next(state, payload(m), env);
            switch (step) {
                case Step.Continue<KeygenP2.State, P2KeyShare> c -> {
                    state = c.state();
                    sendMsg(session, seq + 1, c.outbound());
                }
                case Step.Done<KeygenP2.State, P2KeyShare> d -> {
                    share = d.result();
                    sendMsg(session, seq + 1, d.outbound());
                }
                case Step.Aborted<KeygenP2.State, P2KeyShare> a -> throw new AssertionError("P2 aborted: " + a);
            }
        }
        return new Keygen(share, expect("done"));
    }

    /** Runs an (authorized) refresh of {@code walletId} honestly; returns the new share. */
    public P2KeyShare refresh(String walletId, P2KeyShare share) {
        send("type", "refresh", "walletId", walletId);
        Map<String, Object> started = expect("started");
        String session = (String) started.get("session");
        byte[] sid = HexFormat.of().parseHex((String) started.get("sid"));
        RefreshP2.State state = RefreshP2.start(share, sid, DEVICE_PARAMS);
        while (true) {
            Map<String, Object> m = expect("msg");
            int seq = ((Number) m.get("seq")).intValue();
            Step<RefreshP2.State, P2KeyShare> step = RefreshP2.next(state, payload(m), env);
            switch (step) {
                case Step.Continue<RefreshP2.State, P2KeyShare> c -> {
                    state = c.state();
                    sendMsg(session, seq + 1, c.outbound());
                }
                case Step.Done<RefreshP2.State, P2KeyShare> d -> {
                    sendMsg(session, seq + 1, d.outbound());
                    Map<String, Object> done = expect("done");
                    if (!"REFRESH".equals(done.get("kind"))) {
                        throw new AssertionError("expected a REFRESH done, got " + done);
                    }
                    return d.result();
                }
                case Step.Aborted<RefreshP2.State, P2KeyShare> a -> throw new AssertionError("P2 aborted: " + a);
            }
        }
    }

    /**
     * Co-signs request {@code requestId} whose signing hash is {@code hash}; {@code lastMessage} may tamper with
     * P2's final (round 4) message. Returns the bank's last frame (done or error).
     */
    public Map<String, Object> sign(String requestId, byte[] hash, P2KeyShare share, UnaryOperator<byte[]> lastMessage) {
        send("type", "sign", "requestId", requestId, "signingHash", HexFormat.of().formatHex(hash), "shareEpoch",
                share.epoch());
        Map<String, Object> started = next();
        if (!"started".equals(started.get("type"))) {
            return started;
        }
        String session = (String) started.get("session");
        byte[] sid = HexFormat.of().parseHex((String) started.get("sid"));
        SignP2.State state = SignP2.start(share, sid, hash);
        while (true) {
            Map<String, Object> m = next();
            if (!"msg".equals(m.get("type"))) {
                return m;
            }
            int seq = ((Number) m.get("seq")).intValue();
            Step<SignP2.State, SignP2.Sent> step = SignP2.next(state, payload(m), env);
            switch (step) {
                case Step.Continue<SignP2.State, SignP2.Sent> c -> {
                    state = c.state();
                    sendMsg(session, seq + 1, c.outbound());
                }
                case Step.Done<SignP2.State, SignP2.Sent> d -> {
                    sendMsg(session, seq + 1, lastMessage.apply(d.outbound()));
                    return next();
                }
                case Step.Aborted<SignP2.State, SignP2.Sent> a -> throw new AssertionError("P2 aborted: " + a);
            }
        }
    }

    /**
     * Adds 1 to the plaintext of c3 (c3 · (1 + N) mod N²): a valid ciphertext of a wrong signature share, which P2's
     * proof no longer matches (what a malicious device would send to learn a bit of x1).
     */
    public static UnaryOperator<byte[]> corruptC3(P2KeyShare share) {
        return out -> {
            Envelope e = Envelope.decode(out);
            SignMessages.O1 o1 = SignMessages.O1.decode(e.body());
            BigInteger n = share.paillier().n();
            BigInteger c3 = o1.c3().multiply(n.add(BigInteger.ONE)).mod(n.multiply(n));
            return new Envelope(e.protocol(), e.sessionId(), e.round(), e.sender(),
                    new SignMessages.O1(o1.keyFingerprint(), o1.messageHash(), c3, o1.proof()).encode()).encode();
        };
    }

    /** The text of a frame this device received, as the bank sent it. */
    public String textOf(Map<String, Object> frame) {
        String t = texts.get(frame);
        if (t == null) {
            throw new AssertionError("not a frame this device received: " + frame);
        }
        return t;
    }

    /**
     * Runs a session with a driver of the shared device core: sends what {@code open} returns, then feeds every
     * frame the bank sends to {@code onFrame} and sends its answers, until the driver has a result or a failure.
     */
    public <R> DeviceSession.Reaction<R> drive(DeviceSession.Reaction<R> opened,
                                               java.util.function.Function<String, DeviceSession.Reaction<R>> onFrame) {
        DeviceSession.Reaction<R> r = opened;
        while (true) {
            r.send().forEach(this::sendRaw);
            if (r.finished()) {
                return r;
            }
            r = onFrame.apply(textOf(next()));
        }
    }

    /**
     * Makes one presignature for {@code walletId} with the shared device core's driver (docs/presign-online.md):
     * the result, or the bank's refusal or the driver's failure.
     */
    public DeviceSession.Reaction<P2Presignature> presign(String walletId, P2KeyShare share) {
        send("type", "presign", "walletId", walletId);
        Map<String, Object> started = next();
        if (!"started".equals(started.get("type"))) {
            return refused(started);
        }
        if (!"PRESIGN".equals(started.get("kind")) || started.get("requestId") != null) {
            throw new AssertionError("expected a PRESIGN session, got " + started);
        }
        OnlineSignDriver<P2Presignature> driver = OnlineSignDriver.presign((String) started.get("session"),
                HexFormat.of().parseHex((String) started.get("sid")), share, env);
        return drive(driver.open(), driver::onFrame);
    }

    /**
     * Co-signs sign request {@code requestId} (transaction {@code tx}, the device's hash {@code hashHex}) online with
     * {@code presig}, with the shared driver: its checked result, or the bank's refusal or the driver's failure.
     */
    public DeviceSession.Reaction<SignDriver.Result> online(String requestId, EthTransaction tx, String hashHex,
                                                            P2KeyShare share, P2Presignature presig) {
        send("type", "online", "requestId", requestId, "signingHash", hashHex, "shareEpoch", share.epoch(),
                "presignatureId", presig.idHex());
        Map<String, Object> started = next();
        if (!"started".equals(started.get("type"))) {
            return refused(started);
        }
        if (!"ONLINE".equals(started.get("kind")) || !requestId.equals(started.get("requestId"))) {
            throw new AssertionError("expected an ONLINE session for " + requestId + ", got " + started);
        }
        OnlineSignDriver<SignDriver.Result> driver = OnlineSignDriver.online((String) started.get("session"),
                requestId, tx, share, presig, env);
        return drive(driver.open(), driver::onFrame);
    }

    private static <R> DeviceSession.Reaction<R> refused(Map<String, Object> frame) {
        if (!"error".equals(frame.get("type"))) {
            throw new AssertionError("expected 'started' or 'error', got " + frame);
        }
        return new DeviceSession.Reaction<>(java.util.List.of(), null,
                new SessionFailure((String) frame.get("code"), (String) frame.get("detail")));
    }

    public void sendMsg(String session, int seq, byte[] payload) {
        send("type", "msg", "session", session, "seq", seq, "payload", Base64.getEncoder().encodeToString(payload));
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        } catch (CompletionException | IllegalStateException ignored) {
            // already closed
        }
    }

    public void abort() {
        ws.abort();
    }
}
