package org.mpcwallet.signer.service;

import static org.mpcwallet.signer.service.SignerHttp.MAX_DRAIN_BYTES;
import static org.mpcwallet.signer.service.SignerHttp.drain;
import static org.mpcwallet.signer.service.SignerHttp.pathOf;
import static org.mpcwallet.signer.service.SignerHttp.problem;
import static org.mpcwallet.signer.service.SignerHttp.requireMethod;
import static org.mpcwallet.signer.service.SignerHttp.requirePost;
import static org.mpcwallet.signer.service.SignerService.MAX_PERMIT_BYTES;
import static org.mpcwallet.signer.service.SignerService.MAX_PERMIT_SIGNATURE_BYTES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;
import org.mpcwallet.signer.gateway.GatewayJson;
import org.mpcwallet.signer.gateway.GatewayKeyset;
import org.mpcwallet.signer.gateway.GatewayReply;
import org.mpcwallet.signer.gateway.SignerGateway;
import org.mpcwallet.signer.internal.StrictJson;
import org.mpcwallet.signer.internal.StrictUtf8;
import org.mpcwallet.signer.service.SignerHttp.BadRequest;
import org.mpcwallet.signer.service.SignerHttp.Response;

/**
 * {@link SignerService}'s endpoints over its {@link SignerGateway}: which path and method is which gateway call,
 * and the strict reading of each request ({@link StrictJson}: exactly the expected fields, identifiers, hex session
 * ids, bounded base64, a percent-decoded keyset id in the path) before anything reaches the signer. A request that
 * does not read is a {@link BadRequest} whose detail names the rule, never a value; the gateway's outcomes are 200
 * replies ({@link GatewayJson#encodeReply}).
 */
final class SignerRoutes {
    private static final Set<String> START_FIELDS = Set.of("keysetId", "sessionId");
    private static final Set<String> SIGN_FIELDS = Set.of("keysetId", "sessionId", "permit", "permitSignature");
    private static final Set<String> ONLINE_FIELDS = Set.of("keysetId", "presignatureId", "permit",
            "permitSignature", "o1");
    private static final String PRESIGNATURES = "/presignatures";
    private static final Set<String> SWEEP_FIELDS = Set.of("keysetId", "to", "signatures");
    private static final Set<String> NEXT_FIELDS = Set.of("handle", "inbound");
    private static final Set<String> ABANDON_FIELDS = Set.of("handle");
    private static final String KEYSETS = "/v1/keysets/";

    private final SignerGateway gateway;

    SignerRoutes(SignerGateway gateway) {
        this.gateway = gateway;
    }

    // ---- routing ----------------------------------------------------------------------------------------------

    Response route(HttpExchange ex) throws IOException, BadRequest {
        String path = pathOf(ex);
        String method = ex.getRequestMethod();
        switch (path) {
            case "/health" -> {
                return requireMethod(ex, "GET", () -> {
                    ObjectNode o = StrictJson.newObject();
                    o.put("status", "UP");
                    return Response.json(200, StrictJson.write(o));
                });
            }
            case "/v1/keygen/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, START_FIELDS);
                    return reply(gateway.keygenStart(keysetId(o), sessionId(o)));
                });
            }
            case "/v1/refresh/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, START_FIELDS);
                    return reply(gateway.refreshStart(keysetId(o), sessionId(o)));
                });
            }
            case "/v1/presign/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, START_FIELDS);
                    return reply(gateway.presignStart(keysetId(o), sessionId(o)));
                });
            }
            case "/v1/online" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, ONLINE_FIELDS);
                    String keysetId = keysetId(o);
                    String presignatureId;
                    try {
                        presignatureId = StrictJson.text(o, "presignatureId");
                    } catch (StrictJson.Invalid e) {
                        throw new BadRequest("malformed_request", e.getMessage());
                    }
                    if (!presignatureId.matches("[0-9a-f]{64}")) {
                        throw new BadRequest("malformed_request",
                                "field \"presignatureId\" must be 64 lowercase hex characters");
                    }
                    byte[] permit = base64(o, "permit", MAX_PERMIT_BYTES);
                    byte[] permitSignature = base64(o, "permitSignature", MAX_PERMIT_SIGNATURE_BYTES);
                    byte[] o1 = base64(o, "o1", GatewayJson.MAX_MESSAGE_BYTES);
                    return reply(gateway.online(keysetId, presignatureId, permit, permitSignature, o1));
                });
            }
            case "/v1/sign/start" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, SIGN_FIELDS);
                    String keysetId = keysetId(o);
                    byte[] sid = sessionId(o);
                    byte[] permit = base64(o, "permit", MAX_PERMIT_BYTES);
                    byte[] permitSignature = base64(o, "permitSignature", MAX_PERMIT_SIGNATURE_BYTES);
                    return reply(gateway.signStart(keysetId, sid, permit, permitSignature));
                });
            }
            case "/v1/sweeps/authorize" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, SWEEP_FIELDS);
                    String keysetId = keysetId(o);
                    String to;
                    int signatures;
                    try {
                        to = StrictJson.text(o, "to");
                        signatures = (int) StrictJson.integer(o, "signatures", 1,
                                org.mpcwallet.signer.BankSigner.MAX_SWEEP_SIGNATURES);
                    } catch (StrictJson.Invalid e) {
                        throw new BadRequest("malformed_request", e.getMessage());
                    }
                    if (!to.matches("0x[0-9a-fA-F]{40}")) {
                        throw new BadRequest("malformed_request", "field \"to\" must be 0x followed by 40 hex digits");
                    }
                    return reply(gateway.authorizeSweep(keysetId, to, signatures));
                });
            }
            case "/v1/sessions/next" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, NEXT_FIELDS);
                    String handle = handle(o);
                    byte[] inbound = base64(o, "inbound", GatewayJson.MAX_MESSAGE_BYTES);
                    return reply(gateway.next(handle, inbound));
                });
            }
            case "/v1/sessions/abandon" -> {
                return requirePost(ex, body -> {
                    ObjectNode o = object(body, ABANDON_FIELDS);
                    gateway.abandon(handle(o));
                    return new Response(204, null, null);
                });
            }
            default -> {
                if (path.startsWith(KEYSETS) && path.endsWith(PRESIGNATURES)
                        && path.length() > KEYSETS.length() + PRESIGNATURES.length()
                        && path.indexOf('/', KEYSETS.length()) == path.length() - PRESIGNATURES.length()) {
                    String id = keysetIdFromPath(path.substring(KEYSETS.length(),
                            path.length() - PRESIGNATURES.length()));
                    return requireMethod(ex, "GET", () -> {
                        ObjectNode o = StrictJson.newObject();
                        o.put("count", gateway.presignatures(id));
                        return Response.json(200, StrictJson.write(o));
                    });
                }
                if (path.startsWith(KEYSETS) && path.length() > KEYSETS.length()
                        && path.indexOf('/', KEYSETS.length()) < 0) {
                    String id = keysetIdFromPath(path.substring(KEYSETS.length()));
                    return requireMethod(ex, "GET", () -> {
                        GatewayKeyset k = gateway.keyset(id);
                        return k == null
                                ? problem(404, "unknown_keyset", "the signer holds no share for this keyset")
                                : Response.json(200, GatewayJson.encodeKeyset(k));
                    });
                }
                drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
                return problem(404, "not_found", "no such endpoint: " + method + " on an unknown path");
            }
        }
    }

    private static Response reply(GatewayReply r) {
        return Response.json(200, GatewayJson.encodeReply(r));
    }

    // ---- request parsing --------------------------------------------------------------------------------------

    private static ObjectNode object(byte[] body, Set<String> fields) throws BadRequest {
        try {
            ObjectNode o = StrictJson.object(body);
            StrictJson.fields(o, "request", fields);
            return o;
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static String keysetId(ObjectNode o) throws BadRequest {
        try {
            return StrictJson.identifier(o, "keysetId", 1, 128);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static String handle(ObjectNode o) throws BadRequest {
        try {
            return StrictJson.identifier(o, "handle", 1, 128);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static byte[] sessionId(ObjectNode o) throws BadRequest {
        try {
            return StrictJson.hex(o, "sessionId", 32);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    private static byte[] base64(ObjectNode o, String field, int max) throws BadRequest {
        try {
            return StrictJson.base64(o, field, max);
        } catch (StrictJson.Invalid e) {
            throw new BadRequest("malformed_request", e.getMessage());
        }
    }

    /** The path segment after /v1/keysets/, percent-decoded strictly (well-formed escapes, well-formed UTF-8). */
    private static String keysetIdFromPath(String raw) throws BadRequest {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                byte[] v = i + 2 < raw.length() ? StrictJson.hexOrNull(raw.substring(i + 1, i + 3).toLowerCase(), 1)
                        : null;
                if (v == null) {
                    throw new BadRequest("malformed_request", "the keyset id in the path has a bad percent escape");
                }
                b.write(v[0]);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                b.write(c);
            } else {
                throw new BadRequest("malformed_request", "the keyset id in the path has a character to escape");
            }
        }
        byte[] bytes = b.toByteArray();
        String id = StrictUtf8.decode(bytes);
        if (id == null || bytes.length < 1 || bytes.length > 128 || id.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest("malformed_request", "the keyset id in the path must be 1..128 bytes of UTF-8");
        }
        return id;
    }
}
