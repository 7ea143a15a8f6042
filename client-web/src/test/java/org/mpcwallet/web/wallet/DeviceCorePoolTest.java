package org.mpcwallet.web.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.RandomSource;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.testing.Fixtures;
import org.mpcwallet.crypto.testing.Protocols;
import org.mpcwallet.crypto.testing.TwoPartyNetwork.Hook;
import org.mpcwallet.crypto.vault.PresignatureRecords;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;

/**
 * The device's use of its presignature pool on the JVM (the same {@link DeviceCore} runs in the worker as p2.wasm,
 * there with WebCrypto's pool key): after the co-sign check and with the share open, the first record that opens is
 * used for online signing and every record tried is named for deletion before anything is sent; a record that does
 * not open (tampered, another envelope's pool key) is never used; PRESIGNATURE_UNAVAILABLE from the bank turns the
 * same co-signing into SIGN and asks for the wallet's whole pool to go; without a usable record the co-signing is
 * SIGN; a refused request touches no record. The bank's end of the sessions runs in bank-server's
 * BrowserPresignPoolTest.
 */
class DeviceCorePoolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RandomSource RNG = new SecureRandom()::nextBytes;
    private static final String WALLET = "wallet-pool-1";
    private static final String SECRET = "pool wallet secret";
    private static P2KeyShare share;
    private static String envelopeHex;
    private static String address;
    private static byte[] poolKey;
    private static final List<P2Presignature> PRESIGNATURES = new ArrayList<>();
    /** The bank's half of each presignature (index as in PRESIGNATURES), to finish an online co-signing with. */
    private static final List<P1KeyHolder> BANK = new ArrayList<>();

    @BeforeAll
    static void keysAndPresignatures() {
        Fixtures.Keys keys = Fixtures.keygen("web-pool");
        share = keys.p2();
        PresignatureRecords.SealedVault sealed = PresignatureRecords.sealVault(SECRET.toCharArray(), WALLET,
                Party.P2, share.encode(), RNG);
        envelopeHex = Bytes.toHex(sealed.envelope());
        poolKey = sealed.poolKey();
        address = EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex();
        for (int i = 0; i < 3; i++) {
            P1KeyHolder bank = new P1KeyHolder(keys.p1());
            BANK.add(bank);
            var pre = Protocols.presign(bank, share, Fixtures.sid("web-pool-" + i),
                    Fixtures.env("web-pool-p1-" + i), Fixtures.env("web-pool-p2-" + i), Hook.honest());
            assertNull(pre.p2().failure());
            PRESIGNATURES.add(pre.p2().result());
        }
    }

    /** The JVM's pool: PresignatureRecords' own seal and open under the key from the one PBKDF2 run. */
    private static PoolKey jvmPool(byte[] key) {
        return new PoolKey() {
            @Override
            public byte[] seal(String walletId, P2Presignature p) {
                return PresignatureRecords.seal(key, walletId, p, RNG);
            }

            @Override
            public Result<P2Presignature, VaultFailure> open(byte[] record, String walletId, byte[] fingerprint) {
                return PresignatureRecords.open(key, record, walletId, fingerprint);
            }
        };
    }

    private static DeviceCore core() {
        return new DeviceCore(new DeviceCore.Vault() {
            @Override
            public byte[] seal(char[] secret, String walletId, byte[] plain) {
                return ShareVault.seal(secret, walletId, Party.P2, plain, RNG);
            }

            @Override
            public Result<byte[], VaultFailure> open(char[] secret, byte[] envelope, String walletId) {
                return ShareVault.open(secret, envelope, walletId, Party.P2);
            }

            @Override
            public Result<Unlocked, VaultFailure> openWithPool(char[] secret, byte[] envelope, String walletId) {
                Result<PresignatureRecords.OpenedVault, VaultFailure> r = PresignatureRecords.openVault(secret,
                        envelope, walletId, Party.P2);
                return r.isOk() ? Result.ok(new Unlocked(r.value().share(), jvmPool(r.value().poolKey())))
                        : Result.err(r.failure());
            }
        }, Env.jvm(RNG));
    }

    private static String record(byte[] key, P2Presignature p) {
        return Bytes.toHex(PresignatureRecords.seal(key, WALLET, p, RNG));
    }

    private static String pool(String... idAndRecord) throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < idAndRecord.length; i += 2) {
            out.add(Map.of("id", idAndRecord[i], "record", idAndRecord[i + 1]));
        }
        return JSON.writeValueAsString(out);
    }

    private static String tampered(String recordHex) {
        int last = Integer.parseInt(recordHex.substring(recordHex.length() - 2), 16);
        return recordHex.substring(0, recordHex.length() - 2) + String.format("%02x", last ^ 1);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aTamperedRecordIsDroppedTheNextIsUsedOnlineAndUnavailableFallsBackToSign() throws Exception {
        Eip1559Transaction tx = DeviceCoreTest.tx("0x3535353535353535353535353535353535353535");
        String t = DeviceCoreTest.transfer(WALLET, "sr-1");
        String s = DeviceCoreTest.signRequest(WALLET, tx, tx.signingHash());
        P2Presignature first = PRESIGNATURES.get(0);
        P2Presignature second = PRESIGNATURES.get(1);
        DeviceCore core = core();
        JsonNode begun = JSON.readTree(core.beginCosign(t, s, address, envelopeHex, SECRET.toCharArray(),
                pool(first.idHex(), tampered(record(poolKey, first)), second.idHex(), record(poolKey, second))));
        assertTrue(begun.get("ok").asBoolean(), begun::toString);
        assertEquals(List.of(first.idHex(), second.idHex()), texts(begun.get("discard")),
                "the tampered record and the one used are deleted before anything leaves");
        JsonNode online = JSON.readTree(begun.get("send").get(0).asText());
        assertEquals("online", online.get("type").asText());
        assertEquals(second.idHex(), online.get("presignatureId").asText());
        assertEquals(Bytes.toHex(tx.signingHash()), online.get("signingHash").asText());

        String started = FrameCodec.encode(new Frame.Started("s-1", "ONLINE", "00".repeat(32), WALLET, "sr-1"));
        JsonNode o1 = JSON.readTree(core.onFrame(started));
        assertTrue(o1.get("ok").asBoolean(), o1::toString);
        JsonNode msg = JSON.readTree(o1.get("send").get(0).asText());
        assertEquals("msg", msg.get("type").asText());
        assertEquals(1, msg.get("seq").asInt(), "O1 is the device's one message");

        String unavailable = FrameCodec.encode(new Frame.Error("s-1", "PRESIGNATURE_UNAVAILABLE",
                "no such presignature; co-sign with 'sign'"));
        JsonNode fallback = JSON.readTree(core.onFrame(unavailable));
        assertTrue(fallback.get("ok").asBoolean(), "one co-signing for the user: " + fallback);
        assertEquals(WALLET, fallback.get("discardPool").asText(), "the wallet's whole pool goes");
        JsonNode sign = JSON.readTree(fallback.get("send").get(0).asText());
        assertEquals("sign", sign.get("type").asText());
        assertEquals("sr-1", sign.get("requestId").asText());
        assertEquals(Bytes.toHex(tx.signingHash()), sign.get("signingHash").asText());
        assertTrue(core.busy());
        JsonNode again = JSON.readTree(core.onFrame(FrameCodec.encode(new Frame.Error(null,
                "PRESIGNATURE_UNAVAILABLE", "again"))));
        assertFalse(again.get("ok").asBoolean(), "the fallback happens once: " + again);
        assertFalse(core.busy());
        assertEquals("NO_POOL", JSON.readTree(core.beginPresign()).get("code").asText(),
                "a failed operation keeps no share for the pool");
    }

    @Test
    void withoutARecordThatOpensTheCoSigningIsSignAndTheUnusableOnesGo() throws Exception {
        Eip1559Transaction tx = DeviceCoreTest.tx("0x3535353535353535353535353535353535353535");
        String t = DeviceCoreTest.transfer(WALLET, "sr-1");
        String s = DeviceCoreTest.signRequest(WALLET, tx, tx.signingHash());
        P2Presignature p = PRESIGNATURES.get(0);
        byte[] otherKey = new byte[32]; // an earlier envelope's pool key
        java.util.Arrays.fill(otherKey, (byte) 7);
        DeviceCore core = core();
        JsonNode begun = JSON.readTree(core.beginCosign(t, s, address, envelopeHex, SECRET.toCharArray(),
                pool(p.idHex(), record(otherKey, p), "not-a-record", "zz")));
        assertEquals("sign", JSON.readTree(begun.get("send").get(0).asText()).get("type").asText());
        assertEquals(List.of(p.idHex(), "not-a-record"), texts(begun.get("discard")));
        // a SIGN is not an online run: a PRESIGNATURE_UNAVAILABLE for it ends it, no second SIGN is started
        String started = FrameCodec.encode(new Frame.Started("s-2", "SIGN", "00".repeat(32), WALLET, "sr-1"));
        assertTrue(JSON.readTree(core.onFrame(started)).get("ok").asBoolean());
        JsonNode refused = JSON.readTree(core.onFrame(FrameCodec.encode(new Frame.Error("s-2",
                "PRESIGNATURE_UNAVAILABLE", "not for a sign"))));
        assertFalse(refused.get("ok").asBoolean(), refused::toString);
        assertTrue(refused.get("send").isEmpty(), "nothing more sent: " + refused);
        assertFalse(core.busy());
        core.abandon();

        JsonNode empty = JSON.readTree(core().beginCosign(t, s, address, envelopeHex, SECRET.toCharArray(), "[]"));
        assertEquals("sign", JSON.readTree(empty.get("send").get(0).asText()).get("type").asText());
        assertNull(empty.get("discard"), "nothing to delete");
    }

    @Test
    void aRefusedRequestOrAWrongSecretTouchesNoRecord() throws Exception {
        Eip1559Transaction tx = DeviceCoreTest.tx("0x3535353535353535353535353535353535353535");
        Eip1559Transaction other = DeviceCoreTest.tx("0x00000000000000000000000000000000000000aa");
        String t = DeviceCoreTest.transfer(WALLET, "sr-1");
        P2Presignature p = PRESIGNATURES.get(0);
        String records = pool(p.idHex(), record(poolKey, p));
        JsonNode refused = JSON.readTree(core().beginCosign(t, DeviceCoreTest.signRequest(WALLET, other,
                other.signingHash()), address, envelopeHex, SECRET.toCharArray(), records));
        assertEquals("REFUSED", refused.get("code").asText());
        assertNull(refused.get("discard"));
        JsonNode wrong = JSON.readTree(core().beginCosign(t, DeviceCoreTest.signRequest(WALLET, tx,
                tx.signingHash()), address, envelopeHex, "not the secret".toCharArray(), records));
        assertEquals("WRONG_SECRET", wrong.get("code").asText());
        assertNull(wrong.get("discard"));
        assertEquals("NO_POOL", JSON.readTree(core().beginPresign()).get("code").asText());
    }

    @Test
    void afterAnOnlineCoSigningTheTopUpsFailureNeverStartsASign() throws Exception {
        Eip1559Transaction tx = DeviceCoreTest.tx("0x3535353535353535353535353535353535353535");
        P2Presignature p = PRESIGNATURES.get(2);
        DeviceCore core = core();
        JsonNode begun = JSON.readTree(core.beginCosign(DeviceCoreTest.transfer(WALLET, "sr-1"),
                DeviceCoreTest.signRequest(WALLET, tx, tx.signingHash()), address, envelopeHex, SECRET.toCharArray(),
                pool(p.idHex(), record(poolKey, p))));
        assertEquals("online", JSON.readTree(begun.get("send").get(0).asText()).get("type").asText());
        JsonNode o1 = JSON.readTree(core.onFrame(FrameCodec.encode(new Frame.Started("s-9", "ONLINE", "00".repeat(32),
                WALLET, "sr-1"))));
        Frame.Msg msg = (Frame.Msg) ((FrameCodec.Decoded.Ok<Frame.FromDevice>) FrameCodec.decodeFromDevice(
                o1.get("send").get(0).asText())).frame();
        // the bank's online step with its half, and its 'done'
        var step = BANK.get(2).online(p.idHex(), tx.signingHash(), msg.payload(), Fixtures.env("web-pool-online"));
        EcdsaSignature sig = ((Step.Done<Void, EcdsaSignature>) step).result();
        byte[] signed = tx.encodeSigned(sig);
        JsonNode done = JSON.readTree(core.onFrame(FrameCodec.encode(new Frame.SignDone("s-9", "sr-1",
                sig.r().toString(16), sig.s().toString(16), sig.recoveryId(), "0x" + Bytes.toHex(signed),
                "0x" + Bytes.toHex(Keccak256.hash(signed))))));
        assertTrue(done.get("ok").asBoolean(), done::toString);
        assertEquals(WALLET, done.get("pool").asText(), "the top-up may follow");

        // the top-up's presign session, and an error the bank should never send for it
        assertTrue(JSON.readTree(core.beginPresign()).get("ok").asBoolean());
        assertTrue(JSON.readTree(core.onFrame(FrameCodec.encode(new Frame.Started("s-10", "PRESIGN",
                "00".repeat(32), WALLET, null)))).get("ok").asBoolean());
        JsonNode failed = JSON.readTree(core.onFrame(FrameCodec.encode(new Frame.Error("s-10",
                "PRESIGNATURE_UNAVAILABLE", "not for a presign"))));
        assertFalse(failed.get("ok").asBoolean(), failed::toString);
        assertTrue(failed.get("send").isEmpty(), "no SIGN of the finished co-signing is started: " + failed);
        assertNull(failed.get("discardPool"));
        assertFalse(core.busy());
    }
}
