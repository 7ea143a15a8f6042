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
import org.mpcwallet.bank.mpc.app.MpcChannel;
import org.mpcwallet.bank.wallet.app.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/mpc/ws} (docs/mpc-channel.md): the upgrade request needs the user's bearer JWT (401 before the upgrade
 * otherwise); each connection is one {@link MpcChannel.Link}. Frames are handed to the link on the event loop, in
 * arrival order; the link handles them one at a time, in that order, on its own threads.
 */
@ServerWebSocket("/v1/mpc/ws")
@Secured(SecurityRule.IS_AUTHENTICATED)
class MpcWebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(MpcWebSocket.class);
    private static final String LINK = "mpc.link";

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
        session.put(LINK, link);
        LOG.info("mpc channel: {} connected", caller.username());
    }

    /** The largest frame is {@link MpcChannel#MAX_FRAME_BYTES}; a larger one closes the connection (1009). */
    @OnMessage(maxPayloadLength = MpcChannel.MAX_FRAME_BYTES)
    void message(String text, WebSocketSession session) {
        MpcChannel.Link link = session.get(LINK, MpcChannel.Link.class).orElse(null);
        if (link != null) {
            link.receive(text);
        }
    }

    @OnClose
    @ExecuteOn(TaskExecutors.BLOCKING)
    void close(WebSocketSession session) {
        MpcChannel.Link link = session.get(LINK, MpcChannel.Link.class).orElse(null);
        if (link != null) {
            link.onClose();
        }
    }
}
