package org.mpcwallet.bank.mpc.api;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.websocket.NettyWebSocketSession;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket frames the MPC channel does not accept close the connection with the code RFC 6455 §7.4.1 names
 * (docs/controls-hardening.md §6), before any of them reaches the channel:
 * <ul>
 *   <li>reserved bits set (no extension is negotiated): 1002;</li>
 *   <li>a binary frame (the channel speaks JSON text): 1003;</li>
 *   <li>a text frame that is not valid UTF-8: 1007.</li>
 * </ul>
 * Frames Netty's decoder refuses (unmasked, larger than the limit: 1002, 1009) are closed by Netty; here they are
 * logged at WARN without a stack trace, at most once per {@link #LOG_INTERVAL_MILLIS} with a count of the rest, so
 * that a signed-in user cannot flood the log.
 */
@Singleton
final class WebSocketFrameGuard implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameGuard.class);
    static final long LOG_INTERVAL_MILLIS = 10_000;
    private static final AtomicLong LAST_LOG = new AtomicLong();
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /** Micronaut's per-message-deflate handler, which this customizer removes (see {@link Customizer}). */
    static final String COMPRESSION_HANDLER = "WebSocketServerCompressionHandler";

    /**
     * Adds the guard to each HTTP/1 connection, right after the HTTP codec (which the WebSocket decoder replaces), and
     * removes the WebSocket compression extension Micronaut installs: the channel negotiates no extension, so a
     * browser (which offers permessage-deflate) sends plain frames, and compression never mixes protocol messages
     * an attacker influences with ones they should not learn the length of.
     */
    private record Customizer(Channel channel) implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return new Customizer(channel);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get("http-server-codec") != null
                    && channel.pipeline().get("mpc-frame-guard") == null) {
                channel.pipeline().addAfter("http-server-codec", "mpc-frame-guard", new Guard());
            }
            if (channel != null && channel.pipeline().get(COMPRESSION_HANDLER) != null) {
                channel.pipeline().remove(COMPRESSION_HANDLER);
            }
        }
    }

    /** Micronaut's handler of an upgraded connection; frames wait in the guard until it is in the pipeline. */
    static final String WEBSOCKET_HANDLER = "websocket-handler";
    /** The most frames held while the upgrade completes, and for how long, before the connection is closed. */
    static final int MAX_HELD = 64;
    static final long HOLD_MILLIS = 5_000;

    /**
     * One per connection: it remembers whether a fragmented message is text, and holds frames that arrive before
     * the channel is ready for them: Micronaut's WebSocket handler in the pipeline and {@code @OnOpen} finished
     * ({@link MpcWebSocket#opened}). A browser sends its first frame the moment the 101 response arrives; Micronaut
     * installs its handler a moment after writing it and runs {@code @OnOpen} on another thread, and a frame that
     * arrives before either is lost without a trace.
     */
    private static final class Guard extends ChannelInboundHandlerAdapter {
        /** Whether the text message being continued (fragmented) is text. */
        private boolean inText;
        private final ArrayDeque<WebSocketFrame> held = new ArrayDeque<>();
        private long holdingSince;
        /** Micronaut's handler is seen and a task is queued behind its {@code handlerAdded}; then, that task ran. */
        private boolean confirming;
        private boolean confirmed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof WebSocketFrame frame)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (!held.isEmpty() || !ready(ctx)) {
                hold(ctx, frame);
                return;
            }
            check(ctx, frame);
        }

        private void hold(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (held.size() >= MAX_HELD) {
                ReferenceCountUtil.release(frame);
                refuse(ctx, WebSocketCloseStatus.POLICY_VIOLATION, "too many frames before the upgrade completed");
                return;
            }
            if (held.isEmpty()) {
                holdingSince = System.nanoTime();
                ctx.executor().schedule(() -> release(ctx), 2, TimeUnit.MILLISECONDS);
            }
            held.add(frame);
        }

        /** Passes the held frames on once the handler is there; retries every 2 ms up to {@link #HOLD_MILLIS}. */
        private void release(ChannelHandlerContext ctx) {
            if (held.isEmpty() || !ctx.channel().isActive()) {
                drop();
                return;
            }
            if (!ready(ctx)) {
                if (System.nanoTime() - holdingSince > TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS)) {
                    drop();
                    refuse(ctx, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "the upgrade did not complete");
                    return;
                }
                ctx.executor().schedule(() -> release(ctx), 2, TimeUnit.MILLISECONDS);
                return;
            }
            while (!held.isEmpty() && ctx.channel().isActive()) {
                check(ctx, held.poll());
            }
            drop();
        }

        /**
         * Micronaut's handler is in the pipeline, its {@code handlerAdded} has run, and the channel's {@code @OnOpen}
         * has finished. When the upgrade completes off the event loop (a ticket is redeemed on a blocking thread, and
         * Micronaut goes on from there), Micronaut adds its handler from that thread: Netty then links the handler in
         * at once but runs its {@code handlerAdded} later, as a task on this event loop, and until then passes frames
         * <em>by</em> the handler, to be dropped at the pipeline's end. So once the handler is seen, one task is queued
         * behind Netty's ({@link #confirm}) and the frames wait for it. Netty queues its task while holding the
         * pipeline's lock; taking that lock first makes sure it is queued before ours.
         */
        private boolean ready(ChannelHandlerContext ctx) {
            if (confirmed) {
                return true;
            }
            if (ctx.pipeline().get(WEBSOCKET_HANDLER) == null) {
                return false;
            }
            NettyWebSocketSession session = ctx.channel().attr(NettyWebSocketSession.WEB_SOCKET_SESSION_KEY).get();
            if (session == null || !MpcWebSocket.opened(session) || confirming) {
                return false;
            }
            confirming = true;
            synchronized (ctx.pipeline()) {
                // nothing: Netty links a handler in and queues its handlerAdded under this lock
            }
            ctx.executor().execute(() -> confirm(ctx));
            return false;
        }

        /** Runs after Netty's {@code handlerAdded} task for Micronaut's handler; then releases the held frames. */
        private void confirm(ChannelHandlerContext ctx) {
            confirmed = true;
            release(ctx);
        }

        private void drop() {
            while (!held.isEmpty()) {
                ReferenceCountUtil.release(held.poll());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            drop();
            super.channelInactive(ctx);
        }

        private void check(ChannelHandlerContext ctx, WebSocketFrame frame) {
            WebSocketCloseStatus refusal = null;
            String reason = null;
            if (frame.rsv() != 0) {
                refusal = WebSocketCloseStatus.PROTOCOL_ERROR;
                reason = "reserved bits set; no extension was negotiated";
            } else if (frame instanceof BinaryWebSocketFrame
                    || (frame instanceof ContinuationWebSocketFrame && !inText)) {
                refusal = WebSocketCloseStatus.INVALID_MESSAGE_TYPE;
                reason = "binary frames are not accepted; send JSON text";
            } else if ((frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame)
                    && !validUtf8(frame)) {
                refusal = WebSocketCloseStatus.INVALID_PAYLOAD_DATA;
                reason = "the text is not valid UTF-8";
            }
            if (refusal == null) {
                if (frame instanceof TextWebSocketFrame) {
                    inText = !frame.isFinalFragment();
                } else if (frame instanceof ContinuationWebSocketFrame && frame.isFinalFragment()) {
                    inText = false;
                }
                ctx.fireChannelRead(frame);
                return;
            }
            ReferenceCountUtil.release(frame);
            drop();
            refuse(ctx, refusal, reason);
        }

        private static void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus refusal, String reason) {
            warn(reason + " (close " + refusal.code() + ")");
            ctx.writeAndFlush(new CloseWebSocketFrame(refusal.code(), reason))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException) {
                // Netty's decoder sent the close frame (1002 or 1009) already
                warn(cause.getMessage());
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        /** Each fragment is checked on its own: a character split across fragments is refused (JSON frames are ASCII). */
        private static boolean validUtf8(WebSocketFrame frame) {
            ByteBuffer bytes = frame.content().nioBuffer();
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }
    }

    /** WARN, no stack trace, at most once per interval; the lines in between are counted. */
    static void warn(String what) {
        long now = System.currentTimeMillis();
        long last = LAST_LOG.get();
        if (now - last >= LOG_INTERVAL_MILLIS && LAST_LOG.compareAndSet(last, now)) {
            long more = SUPPRESSED.getAndSet(0);
            LOG.warn("mpc channel: refused a malformed WebSocket frame: {}{}", what,
                    more == 0 ? "" : " (" + more + " more since the last such line)");
        } else {
            SUPPRESSED.incrementAndGet();
        }
    }
}
