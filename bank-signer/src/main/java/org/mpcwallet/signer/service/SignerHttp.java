package org.mpcwallet.signer.service;

import static org.mpcwallet.signer.service.SignerService.MAX_BODY_BYTES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.mpcwallet.signer.internal.StrictJson;

/**
 * The HTTP plumbing under {@link SignerService}'s endpoints ({@link SignerRoutes}), on the JDK's
 * {@link HttpExchange}: the answer an endpoint returns ({@link Response}) and how it is sent (no-store, JSON), the
 * 400 a request is refused with before it reaches the signer ({@link BadRequest}, problem {@code {"error","detail"}}),
 * the method checks (405 with {@code Allow}), and the bounded reading of a request body (larger than
 * {@link SignerService#MAX_BODY_BYTES}: 400 {@code body_too_large}, the rest drained so the answer can still be
 * delivered). Stateless; nothing here logs a body.
 */
final class SignerHttp {
    /** How much of an oversize body is read and discarded so the 400 can still be delivered on the connection. */
    static final long MAX_DRAIN_BYTES = 8L * 1024 * 1024;

    private SignerHttp() {
    }

    record Response(int status, byte[] body, String allow) {
        static Response json(int status, byte[] body) {
            return new Response(status, body, null);
        }
    }

    /** A request that is refused before it reaches the signer; the detail names the rule, never a value. */
    static final class BadRequest extends Exception {
        final String error;

        BadRequest(String error, String detail) {
            super(detail, null, false, false);
            this.error = error;
        }
    }

    @FunctionalInterface
    interface Action {
        Response run() throws BadRequest;
    }

    @FunctionalInterface
    interface BodyAction {
        Response run(byte[] body) throws BadRequest;
    }

    static Response requireMethod(HttpExchange ex, String allowed, Action action)
            throws IOException, BadRequest {
        drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
        if (!allowed.equals(ex.getRequestMethod())) {
            return new Response(405, problemBody("method_not_allowed", "use " + allowed), allowed);
        }
        return action.run();
    }

    static Response requirePost(HttpExchange ex, BodyAction action) throws IOException, BadRequest {
        if (!"POST".equals(ex.getRequestMethod())) {
            drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
            return new Response(405, problemBody("method_not_allowed", "use POST"), "POST");
        }
        return action.run(readBody(ex));
    }

    // ---- request bodies ---------------------------------------------------------------------------------------

    static byte[] readBody(HttpExchange ex) throws IOException, BadRequest {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        InputStream in = ex.getRequestBody();
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length > MAX_BODY_BYTES) {
                drain(in, MAX_DRAIN_BYTES);
                throw new BadRequest("body_too_large", "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (out.size() + n > MAX_BODY_BYTES) {
                drain(in, MAX_DRAIN_BYTES);
                throw new BadRequest("body_too_large", "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static void drain(InputStream in, long max) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buf)) >= 0) {
            total += n;
        }
    }

    // ---- answers ----------------------------------------------------------------------------------------------

    static Response problem(int status, String error, String detail) {
        return Response.json(status, problemBody(error, detail));
    }

    static byte[] problemBody(String error, String detail) {
        ObjectNode o = StrictJson.newObject();
        o.put("error", error);
        o.put("detail", detail);
        return StrictJson.write(o);
    }

    static void send(HttpExchange ex, Response r) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (r.allow != null) {
            ex.getResponseHeaders().set("Allow", r.allow);
        }
        if (r.body == null) {
            ex.sendResponseHeaders(r.status, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(r.status, r.body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body);
        }
    }

    static String pathOf(HttpExchange ex) {
        String p = ex.getRequestURI().getRawPath();
        return p == null ? "" : p;
    }
}
