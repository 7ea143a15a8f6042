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
 * otherwise); each connection is one {@link MpcChannel.Link}. Frames are handled off the event loop.
 */
@ServerWebSocket("/v1/mpc/ws")
@Secured(SecurityRule.IS_AUTHENTICATED)
class MpcWebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(MpcWebSocket.class);
    private static final String LINK = "mpc.link";
    /** The largest frame (K3 ≈ 50 KB of envelope, base64 in JSON) with room to spare. */
    static final int MAX_PAYLOAD = 512 * 1024;

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
                () -> session.close(io.micronaut.websocket.CloseReason.POLICY_VIOLATION));
        session.put(LINK, link);
        LOG.info("mpc channel: {} connected", caller.username());
    }

    @OnMessage(maxPayloadLength = MAX_PAYLOAD)
    @ExecuteOn(TaskExecutors.BLOCKING)
    void message(String text, WebSocketSession session) {
        MpcChannel.Link link = session.get(LINK, MpcChannel.Link.class).orElse(null);
        if (link != null) {
            link.onFrame(text);
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
