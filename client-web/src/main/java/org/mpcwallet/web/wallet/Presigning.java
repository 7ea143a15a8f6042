package org.mpcwallet.web.wallet;

import static org.mpcwallet.web.wallet.DeviceJson.obj;
import static org.mpcwallet.web.wallet.DeviceJson.str;
import static org.mpcwallet.web.wallet.DeviceJson.strings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.OnlineSignDriver;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;

/**
 * The presign and online sessions {@link DeviceCore} runs for its pool (docs/presign-online.md "Stage 3"): the
 * frames that ask the bank for them, the runs that check the bank's {@code started} before the shared drivers exist,
 * and the answers' pool fields (a new record to store, the records to delete first). Holds nothing.
 */
final class Presigning {
    private Presigning() {}

    private static final List<String> ONLINE_STEPS = List.of("Asking the bank to start (presigned)",
            "Sending your part of the signature (O1)", "Waiting for the bank's signature", "Signature verified");

    private static final List<String> PRESIGN_STEPS = List.of("Asking the bank for a presignature",
            "Exchanging the presignature's messages", "Presignature made");

    /** The {@code online} frame for sign request {@code requestId}: the device's own hash, its epoch, the id. */
    static String onlineOpening(String requestId, EthTransaction tx, P2KeyShare share, P2Presignature p) {
        return FrameCodec.encode(new Frame.Online(requestId, Bytes.toHex(tx.signingHash()), share.epoch(),
                p.idHex()));
    }

    /** Online signing of the checked {@code tx} with {@code p}, once the bank started it for this request. */
    static Run online(String requestId, EthTransaction tx, P2KeyShare share, P2Presignature p, Env env) {
        return new PresignedRun<>("ONLINE", ONLINE_STEPS, s -> {
            if (!requestId.equals(s.requestId())) {
                throw new IllegalArgumentException("the bank started online signing for another request");
            }
            return OnlineSignDriver.online(s.session(), requestId, tx, share, p, env);
        });
    }

    static String presignOpening(String walletId) {
        return FrameCodec.encode(new Frame.Presign(walletId));
    }

    /** One presignature of {@code share} for wallet {@code walletId}'s pool, once the bank started it. */
    static Run presign(String walletId, P2KeyShare share, Env env) {
        return new PresignedRun<>("PRESIGN", PRESIGN_STEPS, s -> {
            if (!walletId.equals(s.walletId())) {
                throw new IllegalArgumentException("the bank started a presignature for another wallet");
            }
            return OnlineSignDriver.presign(s.session(), Bytes.fromHex(s.sid()), share, env);
        });
    }

    /** The sealed record of a new presignature with its public header fields, for IndexedDB. */
    static Json.Value record(PoolKey pool, String walletId, P2Presignature p) {
        byte[] record = pool.seal(walletId, p);
        Map<String, Json.Value> m = new LinkedHashMap<>();
        m.put("walletId", str(walletId));
        m.put("presignatureId", str(p.idHex()));
        m.put("fingerprint", str(Bytes.toHex(p.keyFingerprint())));
        m.put("record", str(Bytes.toHex(record)));
        return obj(m);
    }

    /** {@code answer} with {@code "discard"}: the pool records the worker deletes before the answer's frames leave. */
    static String withDiscard(String answer, List<String> discard) {
        if (discard.isEmpty()) {
            return answer;
        }
        Map<String, Json.Value> m = new LinkedHashMap<>(DeviceJson.object(answer).members());
        m.put("discard", strings(discard));
        return Json.write(new Json.Obj(m));
    }
}
