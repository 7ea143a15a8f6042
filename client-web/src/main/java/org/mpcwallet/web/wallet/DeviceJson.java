package org.mpcwallet.web.wallet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.device.CosignReview;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.device.SignDriver;

/**
 * How {@link DeviceCore}'s answers are written and its requests read, all with shared-crypto's strict {@link Json}:
 * the {@code {"ok":true,...}} and {@code {"ok":false,"code","message"}} envelopes, the progress, the outcome of a
 * finished operation (address, public key, epoch or transaction hash), the review the user reads, and the strict
 * field readers for the bank's transfer and sign request. Stateless; what it writes is public values only (no share,
 * no secret ever reaches these methods).
 */
final class DeviceJson {
    private DeviceJson() {
    }

    static Json.Value done(Object result) {
        Map<String, Json.Value> m = new LinkedHashMap<>();
        if (result instanceof KeygenDriver.Result k) {
            m.put("kind", str("KEYGEN"));
            m.put("walletId", str(k.walletId()));
            m.put("address", str(k.address()));
            m.put("publicKey", str(k.publicKeyHex()));
        } else if (result instanceof RefreshDriver.Result r) {
            m.put("kind", str("REFRESH"));
            m.put("walletId", str(r.walletId()));
            m.put("publicKey", str(r.publicKeyHex()));
            m.put("epoch", new Json.Num(Integer.toString(r.epoch())));
        } else if (result instanceof SignDriver.Result s) {
            m.put("kind", str("SIGN"));
            m.put("requestId", str(s.requestId()));
            m.put("txHash", str(s.txHash()));
        }
        return new Json.Obj(m);
    }

    static Json.Value reviewJson(CosignReview r) {
        List<Json.Value> rows = new ArrayList<>();
        for (CosignReview.Row row : r.rows()) {
            rows.add(obj(Map.of("label", str(row.label()), "value", str(row.value()),
                    "emphasis", new Json.Bool(row.emphasis()))));
        }
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("title", str(r.title()));
        m.put("rows", new Json.Arr(rows));
        m.put("mayCoSign", new Json.Bool(r.mayCoSign()));
        m.put("verdict", str(r.verdict()));
        return new Json.Obj(m);
    }

    // ---- JSON ----------------------------------------------------------------------------------------------------

    static Json.Obj object(String text) {
        if (text == null) {
            return null;
        }
        Json.Parsed p = Json.parse(text);
        return p instanceof Json.Parsed.Ok ok && ok.value() instanceof Json.Obj o ? o : null;
    }

    static String text(Json.Obj o, String key) {
        Json.Value v = o.members().get(key);
        if (v == null || v instanceof Json.Null) {
            return null;
        }
        if (v instanceof Json.Str s) {
            return s.value();
        }
        if (v instanceof Json.Num n) {
            return n.text();
        }
        throw new IllegalArgumentException("field " + key + " must be text");
    }

    static String need(Json.Obj o, String key) {
        String v = text(o, key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("field " + key + " is missing");
        }
        return v;
    }

    static Json.Value progress(DeviceSession.Progress p) {
        return obj(Map.of("step", new Json.Num(Integer.toString(p.step())), "steps",
                new Json.Num(Integer.toString(p.steps())), "label", str(p.label())));
    }

    static Json.Value strings(List<String> items) {
        List<Json.Value> out = new ArrayList<>();
        for (String s : items) {
            out.add(str(s));
        }
        return new Json.Arr(out);
    }

    static Json.Str str(String s) {
        return new Json.Str(s == null ? "" : s);
    }

    static Json.Obj obj(Map<String, Json.Value> m) {
        return new Json.Obj(new java.util.TreeMap<>(m));
    }

    static String ok(Map<String, Json.Value> m) {
        Map<String, Json.Value> out = new LinkedHashMap<>();
        out.put("ok", new Json.Bool(true));
        out.putAll(m);
        return Json.write(new Json.Obj(out));
    }

    /** {@code {"ok":false,"code","message"}}: a sentence the page shows as it is. */
    static String failure(String code, String message) {
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("ok", new Json.Bool(false));
        m.put("code", str(code));
        m.put("message", str(CosignReview.sentence(message)));
        return Json.write(new Json.Obj(m));
    }
}
