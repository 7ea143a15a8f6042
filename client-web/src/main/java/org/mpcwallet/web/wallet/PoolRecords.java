package org.mpcwallet.web.wallet;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * Which of a wallet's sealed presignatures a co-signing uses (docs/presign-online.md "Stage 3"): the records come
 * from the worker's IndexedDB as {@code [{"id","record"}]} in the order to try; the first that opens under the
 * share's pool key, for this wallet and the share's key fingerprint, is the one. Every record tried is to be deleted
 * before anything leaves the device: the one used (single use) and those that did not open (tampered, sealed under
 * an earlier envelope's pool key, another key), which could never be used.
 */
final class PoolRecords {
    private PoolRecords() {}

    /** The presignature to use (null: none; co-sign with SIGN) and the ids of the records to delete first. */
    record Choice(P2Presignature presignature, List<String> discard) {
        @Override
        public String toString() {
            return "Choice[" + (presignature == null ? "none" : "presignature") + ", discard " + discard.size() + "]";
        }
    }

    static Choice choose(String poolJson, PoolKey pool, String walletId, byte[] fingerprint) {
        List<String> discard = new ArrayList<>();
        if (pool == null || poolJson == null || poolJson.isEmpty()) {
            return new Choice(null, discard);
        }
        if (!(Json.parse(poolJson) instanceof Json.Parsed.Ok ok) || !(ok.value() instanceof Json.Arr records)) {
            return new Choice(null, discard);
        }
        for (Json.Value v : records.items()) {
            String id = v instanceof Json.Obj o && o.members().get("id") instanceof Json.Str s ? s.value() : null;
            if (id == null) {
                continue;
            }
            discard.add(id);
            Result<P2Presignature, VaultFailure> opened = open(pool, (Json.Obj) v, walletId, fingerprint);
            if (opened != null && opened.isOk()) {
                return new Choice(opened.value(), discard);
            }
        }
        return new Choice(null, discard);
    }

    /** The record's presignature, its failure, or null when the entry holds no record in hex. */
    private static Result<P2Presignature, VaultFailure> open(PoolKey pool, Json.Obj entry, String walletId,
            byte[] fingerprint) {
        if (!(entry.members().get("record") instanceof Json.Str hex)) {
            return null;
        }
        byte[] record;
        try {
            record = Bytes.fromHex(hex.value());
        } catch (RuntimeException e) {
            return null;
        }
        return pool.open(record, walletId, fingerprint);
    }
}
