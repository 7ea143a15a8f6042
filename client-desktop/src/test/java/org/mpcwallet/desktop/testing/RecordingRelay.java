package org.mpcwallet.desktop.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain TCP relay in front of the bank that records every byte a client sends it, so a test can read exactly what
 * reached the bank: the HTTP requests as sent (headers and bodies) and, on a WebSocket connection, the frames'
 * payloads unmasked (a client masks every frame it sends, RFC 6455 §5.3, so the raw bytes would hide any text).
 * Clients use {@link #url()} as the bank's URL; the bank's answers pass through unrecorded.
 */
public final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<ByteArrayOutputStream> connections = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread acceptor;

    public RecordingRelay(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.acceptor = Thread.ofPlatform().daemon().name("relay-accept").start(this::acceptLoop);
    }

    /** The relay as a bank URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket bank = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                ByteArrayOutputStream recorded = new ByteArrayOutputStream();
                synchronized (this) {
                    connections.add(recorded);
                    sockets.add(client);
                    sockets.add(bank);
                }
                Thread.ofPlatform().daemon().start(() -> pump(client, bank, recorded));
                Thread.ofPlatform().daemon().start(() -> pump(bank, client, null));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, ByteArrayOutputStream recorded) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (recorded != null) {
                    synchronized (recorded) {
                        recorded.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: the connection is over
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /**
     * Everything the clients sent, one string per connection (UTF-8): the HTTP requests as sent; after a WebSocket
     * upgrade request, the payloads of the client's frames, unmasked, one per line.
     */
    public synchronized List<String> sent() {
        List<String> out = new ArrayList<>();
        for (ByteArrayOutputStream c : connections) {
            byte[] bytes;
            synchronized (c) {
                bytes = c.toByteArray();
            }
            out.add(decode(bytes));
        }
        return out;
    }

    private static String decode(byte[] bytes) {
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String head = new String(bytes, 0, end < 0 ? bytes.length : end + 4, StandardCharsets.UTF_8);
        if (end < 0 || !head.toLowerCase(java.util.Locale.ROOT).contains("upgrade: websocket")) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(head);
        int i = end + 4;
        while (i + 2 <= bytes.length) {
            boolean masked = (bytes[i + 1] & 0x80) != 0;
            long len = bytes[i + 1] & 0x7f;
            i += 2;
            if (len == 126) {
                len = ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
                i += 2;
            } else if (len == 127) {
                len = 0;
                for (int k = 0; k < 8; k++) {
                    len = (len << 8) | (bytes[i + k] & 0xff);
                }
                i += 8;
            }
            byte[] mask = new byte[4];
            if (masked) {
                System.arraycopy(bytes, i, mask, 0, 4);
                i += 4;
            }
            int n = (int) Math.min(len, bytes.length - i);
            byte[] payload = new byte[n];
            for (int k = 0; k < n; k++) {
                payload[k] = (byte) (bytes[i + k] ^ (masked ? mask[k % 4] : 0));
            }
            sb.append(new String(payload, StandardCharsets.UTF_8)).append('\n');
            i += n;
        }
        return sb.toString();
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public synchronized void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
