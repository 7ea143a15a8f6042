package org.mpcwallet.bank.mpc.api;

import static org.mpcwallet.bank.web.ApiCalls.caller;

import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.mpcwallet.bank.mpc.app.MpcChannel;
import org.mpcwallet.bank.wallet.app.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/mpc/ws} (docs/mpc-channel.md): the upgrade request needs the user's bearer JWT or a single-use ticket
 * (401 before the upgrade otherwise); each connection is one {@link MpcChannel.Link}. Frames are handed to the link on
 * the event loop, in arrival order; the link handles them one at a time, in that order, on its own threads. A frame
 * can arrive before {@code @OnOpen} has made the link (a browser sends its first frame the moment the upgrade is
 * answered, and {@code @OnOpen} runs on another thread): such frames wait, in order, and are handed over when the link
 * exists (at most {@link #MAX_EARLY_FRAMES}; more close the connection with 1008).
 */
@ServerWebSocket("/v1/mpc/ws")
@Secured(SecurityRule.IS_AUTHENTICATED)
class MpcWebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(MpcWebSocket.class);
    static final int MAX_EARLY_FRAMES = 64;

    /** A connection's link once {@code @OnOpen} made it, and the frames that came before. */
    private static final class Slot {
        MpcChannel.Link link;
        final List<String> early = new ArrayList<>();
        boolean closed;
    }

    /**
     * Keyed by the session object itself (it has identity equality): Micronaut's {@code getId()} is the client's
     * {@code Sec-WebSocket-Key}, which a client chooses and may repeat.
     */
    private final ConcurrentHashMap<WebSocketSession, Slot> slots = new ConcurrentHashMap<>();
    /** Connections whose {@code @OnOpen} has finished: {@link WebSocketFrameGuard} holds frames until then. */
    private static final java.util.Set<WebSocketSession> OPENED = ConcurrentHashMap.newKeySet();
    private final MpcChannel channel;

    MpcWebSocket(MpcChannel channel) {
        this.channel = channel;
    }

    @OnOpen
    void open(WebSocketSession session, Authentication auth) {
        Caller caller = caller(auth);
        Object ver = auth.getAttributes().get(org.mpcwallet.bank.auth.app.AuthService.CLAIM_VERSION);
        long version = ver instanceof Number n ? n.longValue() : -1; // -1: never current, the first frame closes
        MpcChannel.Link link = channel.open(caller, version, text -> session.sendSync(text),
                (code, reason) -> session.close(new io.micronaut.websocket.CloseReason(code, reason)));
        Slot slot = slots.computeIfAbsent(session, k -> new Slot());
        boolean closed;
        synchronized (slot) {
            slot.link = link;
            closed = slot.closed;
            if (!closed) {
                for (String text : slot.early) {
                    link.receive(text);
                }
                OPENED.add(session); // under the slot's lock: a close after this removes it, one before prevents it
            }
            slot.early.clear();
        }
        if (closed) {
            slots.remove(session);
            link.onClose(); // the connection ended before the link existed
            return;
        }
        LOG.info("mpc channel: {} connected", caller.username());
    }

    /**
     * Whether {@code @OnOpen} of {@code session} has finished. Micronaut 4.10 runs {@code @OnOpen} on another thread
     * and loses a frame that reaches its handler before {@code @OnOpen} has finished (a client that sends the moment
     * the upgrade is answered: every browser); {@link WebSocketFrameGuard} holds frames until this is true.
     */
    static boolean opened(WebSocketSession session) {
        return OPENED.contains(session);
    }

    /** The largest frame is {@link MpcChannel#MAX_FRAME_BYTES}; a larger one closes the connection (1009). */
    @OnMessage(maxPayloadLength = MpcChannel.MAX_FRAME_BYTES)
    void message(String text, WebSocketSession session) {
        Slot slot = slots.computeIfAbsent(session, k -> new Slot());
        synchronized (slot) {
            if (slot.closed) {
                return;
            }
            if (slot.link != null) {
                slot.link.receive(text);
                return;
            }
            if (slot.early.size() < MAX_EARLY_FRAMES) {
                slot.early.add(text);
                return;
            }
        }
        session.close(new io.micronaut.websocket.CloseReason(1008, "too many frames before the channel opened"));
    }

    @OnClose
    @ExecuteOn(TaskExecutors.BLOCKING)
    void close(WebSocketSession session) {
        Slot slot = slots.computeIfAbsent(session, k -> new Slot());
        MpcChannel.Link link;
        synchronized (slot) {
            slot.closed = true;
            link = slot.link;
        }
        OPENED.remove(session);
        if (link != null) { // else @OnOpen, still running, sees closed and ends the link itself
            slots.remove(session);
            link.onClose();
        }
    }
}
