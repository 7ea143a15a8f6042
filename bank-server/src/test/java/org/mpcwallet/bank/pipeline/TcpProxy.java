package org.mpcwallet.bank.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP forwarder in front of the real node, so a test can cut the bank off the network and restore it (the
 * node keeps its state): {@link #down()} refuses connections and drops open ones, {@link #up()} listens again on the
 * same port.
 */
final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private volatile ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        up();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread accept = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(target);
                    pipe(client, target);
                    pipe(target, client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
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
        }, "tcp-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
