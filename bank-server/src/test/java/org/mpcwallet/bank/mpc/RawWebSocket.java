package org.mpcwallet.bank.mpc;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client that writes frames byte by byte (RFC 6455 §5.2), so a test can send what a well-behaved client
 * library never would: reserved bits, invalid UTF-8, unmasked or oversized frames, binary data.
 */
final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final SecureRandom random = new SecureRandom();

    /** A frame from the server: its opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For a close frame: the status code, or -1 when it carries none. */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    static RawWebSocket connect(int port, String authorization) throws IOException {
        Socket s = new Socket("localhost", port);
        s.setSoTimeout(10_000);
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        String request = "GET /v1/mpc/ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: " + authorization + "\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the upgrade: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
        return new RawWebSocket(s);
    }

    /** Writes one frame: FIN set, {@code rsv} in bits 4-6, masked unless {@code masked} is false. */
    void frame(int opcode, int rsv, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | (rsv & 0x7) << 4 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            f.write(maskBit | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i % 4];
            }
        }
        f.write(body);
        try {
            out.write(f.toByteArray());
            out.flush();
        } catch (java.net.SocketException serverClosed) {
            // the server may refuse a frame from its header and close while the rest is still being written
        }
    }

    void text(String s) throws IOException {
        frame(1, 0, s.getBytes(StandardCharsets.UTF_8), true);
    }

    /** The next frame from the server, or null when the connection ends (or nothing comes within 10 s). */
    Frame read() throws IOException {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Frame(b0 & 0x0f, payload);
        } catch (SocketTimeoutException | java.io.EOFException | java.net.SocketException e) {
            return null;
        }
    }

    /** Reads until the server's close frame; returns it, or null if the connection ended without one. */
    Frame untilClose() throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.opcode() == 8) {
                return f;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
