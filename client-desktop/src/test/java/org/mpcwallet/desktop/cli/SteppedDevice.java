package org.mpcwallet.desktop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;
import org.mpcwallet.desktop.core.MpcChannel;
import org.mpcwallet.crypto.device.DeviceSession;

/**
 * A device on the real WebSocket whose session the test steps: it runs a {@link DeviceSession} like {@link MpcChannel}
 * does, but holds back the device's n-th protocol message until the test releases it, so a session
 * can be left open on the bank while something else happens.
 */
final class SteppedDevice implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 60;

    private final ClientManager client;
    private final Session ws;
    private final BlockingQueue<String> inbound;
    private DeviceSession<?> session;
    private String held;

    private SteppedDevice(ClientManager client, Session ws, BlockingQueue<String> inbound) {
        this.client = client;
        this.ws = ws;
        this.inbound = inbound;
    }

    static SteppedDevice connect(String serverUrl, String accessToken) throws Exception {
        BlockingQueue<String> inbound = new LinkedBlockingQueue<>();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Authorization", List.of("Bearer " + accessToken));
                    }
                }).build();
        Endpoint endpoint = new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig cfg) {
                s.setMaxTextMessageBufferSize(4 * 1024 * 1024);
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) inbound::add);
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                inbound.add("{\"type\":\"closed\"}");
            }
        };
        ClientManager client = ClientManager.createClient();
        Session ws = client.connectToServer(endpoint, config, MpcChannel.endpoint(serverUrl));
        return new SteppedDevice(client, ws, inbound);
    }

    void start(DeviceSession<?> s) throws Exception {
        session = s;
        ws.getBasicRemote().sendText(s.opening());
    }

    /** Runs the session until the device is about to send its {@code nth} protocol message ("msg" frame). */
    void runUntilHeld(int nth) throws Exception {
        int sent = 0;
        while (held == null) {
            String frame = next();
            DeviceSession.Reaction<?> r = session.onFrame(frame);
            if (r.finished()) {
                throw new AssertionError("the session ended before message " + nth + ": " + frame);
            }
            for (String out : r.send()) {
                boolean msg = "msg".equals(JSON.readTree(out).path("type").asText());
                if (msg && ++sent == nth) {
                    held = out;
                } else {
                    ws.getBasicRemote().sendText(out);
                }
            }
        }
    }

    /** Sends the held message and returns the bank's last frame for the session (done or error). */
    String releaseHeldAndFinish() throws Exception {
        ws.getBasicRemote().sendText(held);
        while (true) {
            String frame = next();
            JsonNode n = JSON.readTree(frame);
            String type = n.path("type").asText();
            if (type.equals("done") || type.equals("error") || type.equals("closed")) {
                return frame;
            }
        }
    }

    private String next() throws InterruptedException {
        String frame = inbound.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame from the bank within " + WAIT_SECONDS + " s");
        }
        return frame;
    }

    @Override
    public void close() throws Exception {
        try {
            if (ws.isOpen()) {
                ws.close();
            }
        } finally {
            client.shutdown();
        }
    }
}
