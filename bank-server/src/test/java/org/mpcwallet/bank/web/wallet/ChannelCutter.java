package org.mpcwallet.bank.web.wallet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP forwarder in front of the bank, so the browser reaches the bank (pages, API, MPC channel) through it and a
 * test can cut a WebSocket at a chosen point of the protocol: once {@link #armCutAtFirstProtocolMessage} is called,
 * the next channel connection on which the bank sends a protocol message ({@code "type":"msg"}, sent unmasked by a
 * server) is cut at the TCP level right after that message reached the browser, as a dropped network would.
 */
final class ChannelCutter implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile boolean cut;

    ChannelCutter(int targetPort) throws IOException {
        this.targetPort = targetPort;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::accept, "channel-cutter-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** The origin the browser uses: {@code localhost} (WebAuthn refuses IP addresses as the relying party). */
    String origin() {
        return "http://localhost:" + server.getLocalPort();
    }

    void armCutAtFirstProtocolMessage() {
        cut = false;
        armed.set(true);
    }

    /** Whether an armed cut happened. */
    boolean didCut() {
        return cut;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket bank = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(bank);
                pipe(client, bank, false);
                pipe(bank, client, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean fromBank) {
        Thread t = new Thread(() -> {
            boolean upgraded = false;
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    if (fromBank) {
                        String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        upgraded |= chunk.startsWith("HTTP/1.1 101");
                        if (upgraded && chunk.contains("\"type\":\"msg\"") && armed.compareAndSet(true, false)) {
                            cut = true;
                            from.close();
                            to.close();
                            return;
                        }
                    }
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "channel-cutter-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
