package org.mpcwallet.web.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.core.Result;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.vault.VaultFailure;
import org.mpcwallet.web.BrowserHarness;

/**
 * The browser device's co-sign decisions on the JVM (the same class runs in the worker as p2.wasm): the dialog's
 * review, the refusals (another recipient, a hash that is not the device's, a request of another transfer), a wrong
 * secret, a share whose address is not the bank's, one operation at a time, and that a failure never names a secret.
 * The share is the desktop's backup vector, sealed with its wallet secret (so the browser opens the desktop's
 * envelopes here too).
 */
class DeviceCoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TO = "0x3535353535353535353535353535353535353535";

    private record Vector(String walletId, String secret, String envelopeHex, String address) {
    }

    private static Vector vector() throws Exception {
        Path file = BrowserHarness.repoRootForTests().resolve(
                "shared-crypto/src/test/resources/vectors/backup/desktop-backup-v1.json");
        JsonNode v = JSON.readTree(Files.readString(file));
        JsonNode w = v.get("bundle").get("wallets").get(0);
        byte[] envelope = Base64.getDecoder().decode(w.get("vault").asText());
        P2KeyShare share = P2KeyShare.decodeFromVault(Bytes.fromHex(v.get("shareHex").asText()));
        return new Vector(v.get("walletId").asText(), v.get("walletSecret").asText(), Bytes.toHex(envelope),
                EthAddress.fromPublicKey(share.publicKey().encodeUncompressed()).toChecksumHex());
    }

    private static DeviceCore core() {
        SecureRandom random = new SecureRandom();
        return new DeviceCore(new DeviceCore.Vault() {
            @Override
            public byte[] seal(char[] secret, String walletId, byte[] share) {
                return ShareVault.seal(secret, walletId, Party.P2, share, random::nextBytes);
            }

            @Override
            public Result<byte[], VaultFailure> open(char[] secret, byte[] envelope, String walletId) {
                return ShareVault.open(secret, envelope, walletId, Party.P2);
            }
        }, Env.jvm(random::nextBytes));
    }

    static Eip1559Transaction tx(String to) {
        return new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.valueOf(3), BigInteger.valueOf(1_000_000_000L),
                BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(21_000), EthAddress.parse(to),
                new BigInteger("100000000000000000"), new byte[0]);
    }

    static String transfer(String walletId, String signRequestId) throws Exception {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", "tx-1");
        t.put("walletId", walletId);
        t.put("status", "SIGN_PENDING");
        t.put("asset", "ETH");
        t.put("tokenAddress", null);
        t.put("to", TO);
        t.put("amount", "100000000000000000");
        t.put("note", "rent");
        t.put("chainId", "31337");
        t.put("signRequestId", signRequestId);
        return JSON.writeValueAsString(t);
    }

    static String signRequest(String walletId, Eip1559Transaction tx, byte[] hash) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "sr-1");
        s.put("walletId", walletId);
        s.put("status", "PENDING");
        s.put("type", "EIP1559");
        s.put("chainId", tx.chainId().toString());
        s.put("nonce", tx.nonce().toString());
        s.put("maxPriorityFeePerGas", tx.maxPriorityFeePerGas().toString());
        s.put("maxFeePerGas", tx.maxFeePerGas().toString());
        s.put("gasLimit", tx.gasLimit().toString());
        s.put("to", tx.to().toChecksumHex());
        s.put("valueWei", tx.value().toString());
        s.put("data", "0x");
        s.put("signingHash", "0x" + Bytes.toHex(hash));
        return JSON.writeValueAsString(s);
    }

    private static JsonNode read(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void theReviewShowsWhatTheDeviceDecodedAndTheCoSignStartsASignSession() throws Exception {
        Vector v = vector();
        Eip1559Transaction tx = tx(TO);
        String t = transfer(v.walletId(), "sr-1");
        String s = signRequest(v.walletId(), tx, tx.signingHash());
        JsonNode review = read(DeviceCore.review(t, s)).get("review");
        assertTrue(review.get("mayCoSign").asBoolean(), review::toString);
        assertTrue(review.toString().contains("0.1 ETH") && review.toString().contains(EthAddress.parse(TO)
                .toChecksumHex()), review::toString);

        DeviceCore core = core();
        JsonNode begun = read(core.beginCosign(t, s, v.address(), v.envelopeHex(), v.secret().toCharArray()));
        assertTrue(begun.get("ok").asBoolean(), begun::toString);
        JsonNode opening = read(begun.get("send").get(0).asText());
        assertEquals("sign", opening.get("type").asText());
        assertEquals(Bytes.toHex(tx.signingHash()), opening.get("signingHash").asText(),
                "the device sends its own hash");
        assertTrue(core.busy());
        JsonNode busy = read(core.beginCosign(t, s, v.address(), v.envelopeHex(), v.secret().toCharArray()));
        assertEquals("BUSY", busy.get("code").asText());
        assertEquals("[]", core.abandon(), "nothing to cancel before the bank started the session");
        assertFalse(core.busy());
    }

    @Test
    void requestsThatAreNotTheUsersTransferAreRefusedBeforeAnythingOpens() throws Exception {
        Vector v = vector();
        Eip1559Transaction other = tx("0x00000000000000000000000000000000000000aa");
        String t = transfer(v.walletId(), "sr-1");
        // another recipient, with its own consistent hash: only the comparison with the transfer catches it
        JsonNode refused = read(DeviceCore.review(t, signRequest(v.walletId(), other, other.signingHash())))
                .get("review");
        assertFalse(refused.get("mayCoSign").asBoolean());
        assertTrue(refused.get("verdict").asText().contains("Nothing was signed"), refused::toString);
        JsonNode begun = read(core().beginCosign(t, signRequest(v.walletId(), other, other.signingHash()), v.address(),
                v.envelopeHex(), v.secret().toCharArray()));
        assertEquals("REFUSED", begun.get("code").asText(), begun::toString);

        // the right fields with a hash that is not theirs
        Eip1559Transaction tx = tx(TO);
        JsonNode hash = read(DeviceCore.review(t, signRequest(v.walletId(), tx, other.signingHash()))).get("review");
        assertFalse(hash.get("mayCoSign").asBoolean());
        assertTrue(hash.get("verdict").asText().contains("does not match the hash"), hash::toString);

        // a sign request the transfer does not name
        JsonNode notNamed = read(DeviceCore.review(transfer(v.walletId(), "sr-2"), signRequest(v.walletId(), tx,
                tx.signingHash()))).get("review");
        assertFalse(notNamed.get("mayCoSign").asBoolean(), notNamed::toString);

        JsonNode malformed = read(DeviceCore.review("{\"id\":1", "[]"));
        assertEquals("BAD_REQUEST", malformed.get("code").asText());
    }

    @Test
    void aWrongSecretOrAnotherWalletsShareChangesNothingAndNamesNoSecret() throws Exception {
        Vector v = vector();
        Eip1559Transaction tx = tx(TO);
        String t = transfer(v.walletId(), "sr-1");
        String s = signRequest(v.walletId(), tx, tx.signingHash());
        DeviceCore core = core();
        String wrong = core.beginCosign(t, s, v.address(), v.envelopeHex(), "not the wallet secret".toCharArray());
        assertEquals("WRONG_SECRET", read(wrong).get("code").asText());
        assertFalse(wrong.contains("not the wallet secret"), "a failure never repeats the secret");
        assertFalse(core.busy());
        JsonNode otherWallet = read(core.beginCosign(t, s, "0x00000000000000000000000000000000000000bb",
                v.envelopeHex(), v.secret().toCharArray()));
        assertEquals("WRONG_WALLET", otherWallet.get("code").asText());
        assertFalse(core.busy());

        JsonNode check = read(core.checkShare(v.envelopeHex(), v.walletId(), v.address(), v.secret().toCharArray()));
        assertEquals(v.address(), check.get("address").asText());
        assertEquals("WRONG_SECRET", read(core.checkShare(v.envelopeHex(), v.walletId(), v.address(),
                "nope".toCharArray())).get("code").asText());
        assertEquals("WRONG_WALLET", read(core.checkShare(v.envelopeHex(), v.walletId(),
                "0x00000000000000000000000000000000000000bb", v.secret().toCharArray())).get("code").asText());
    }

    @Test
    void aPasskeysSecondEnvelopeOpensWithItsSecretAndTheFirstStays() throws Exception {
        Vector v = vector();
        DeviceCore core = core();
        String prf = "prf:" + "A".repeat(43);
        JsonNode resealed = read(core.reseal(v.envelopeHex(), v.walletId(), v.secret().toCharArray(),
                prf.toCharArray()));
        assertTrue(resealed.get("ok").asBoolean(), resealed::toString);
        String second = resealed.get("envelope").asText();
        assertEquals(v.address(), read(core.checkShare(second, v.walletId(), v.address(), prf.toCharArray()))
                .get("address").asText());
        assertEquals("WRONG_SECRET", read(core.checkShare(second, v.walletId(), v.address(),
                v.secret().toCharArray())).get("code").asText(), "the second envelope is the passkey's only");
        assertEquals(v.address(), read(core.checkShare(v.envelopeHex(), v.walletId(), v.address(),
                v.secret().toCharArray())).get("address").asText(), "the first envelope still opens");
        assertEquals("WRONG_SECRET", read(core.reseal(v.envelopeHex(), v.walletId(), "wrong".toCharArray(),
                prf.toCharArray())).get("code").asText());
        assertEquals("BAD_REQUEST", read(core.reseal(v.envelopeHex(), v.walletId(), v.secret().toCharArray(),
                "short".toCharArray())).get("code").asText());
    }

    @Test
    void aRefreshOpensTheCurrentShareAtTheBanksAddressAndAsksTheBankToStart() throws Exception {
        Vector v = vector();
        DeviceCore core = core();
        String params = Bytes.toHex(org.mpcwallet.crypto.parity.TestRingPedersen.proven("device-core-test",
                org.mpcwallet.crypto.core.ModPow.JAVA).encode());
        assertEquals("WRONG_SECRET", read(core.beginRefresh(v.walletId(), v.envelopeHex(), v.address(),
                "nope".toCharArray(), null, params)).get("code").asText());
        assertEquals("WRONG_WALLET", read(core.beginRefresh(v.walletId(), v.envelopeHex(),
                "0x00000000000000000000000000000000000000bb", v.secret().toCharArray(), null, params))
                .get("code").asText());
        assertEquals("DEVICE_SETUP", read(core.beginRefresh(v.walletId(), v.envelopeHex(), v.address(),
                v.secret().toCharArray(), null, "00")).get("code").asText());
        assertFalse(core.busy(), "no refusal leaves a session behind");
        char[] passkey = ("prf:" + "B".repeat(43)).toCharArray();
        JsonNode begun = read(core.beginRefresh(v.walletId(), v.envelopeHex(), v.address(),
                v.secret().toCharArray(), passkey, params));
        assertTrue(begun.get("ok").asBoolean(), begun::toString);
        JsonNode opening = read(begun.get("send").get(0).asText());
        assertEquals("refresh", opening.get("type").asText());
        assertEquals(v.walletId(), opening.get("walletId").asText());
        assertEquals(new String(new char[passkey.length]), new String(passkey), "the caller's passkey array is wiped");
        assertEquals("BUSY", read(core.beginRefresh(v.walletId(), v.envelopeHex(), v.address(),
                v.secret().toCharArray(), null, params)).get("code").asText());
        core.abandon();
        assertFalse(core.busy());
    }

    @Test
    void theBanksCopyOpensOnlyWithTheRecoveryCodeAndIsSealedAgainUnderTheNewWalletSecret() throws Exception {
        Vector v = vector();
        DeviceCore core = core();
        String code = "ABCDEFGH-JKLMNPQR-STUVWXYZ-23456789";
        JsonNode copy = read(core.reseal(v.envelopeHex(), v.walletId(), v.secret().toCharArray(),
                code.toCharArray()));
        assertTrue(copy.get("ok").asBoolean(), copy::toString);
        assertEquals(0, copy.get("epoch").asInt());
        String sealed = copy.get("envelope").asText();
        String newSecret = "a new browser secret";
        assertEquals("WRONG_SECRET", read(core.recover(sealed, v.walletId(), v.address(), v.secret().toCharArray(),
                newSecret.toCharArray())).get("code").asText(), "the wallet secret does not open the bank's copy");
        assertEquals("WRONG_WALLET", read(core.recover(sealed, v.walletId(),
                "0x00000000000000000000000000000000000000bb", code.toCharArray(), newSecret.toCharArray()))
                .get("code").asText());
        assertEquals("BAD_REQUEST", read(core.recover(sealed, v.walletId(), v.address(), code.toCharArray(),
                "short".toCharArray())).get("code").asText());
        JsonNode restored = read(core.recover(sealed, v.walletId(), v.address(), code.toCharArray(),
                newSecret.toCharArray()));
        assertTrue(restored.get("ok").asBoolean(), restored::toString);
        assertEquals(v.address(), restored.get("address").asText());
        Result<byte[], VaultFailure> opened = ShareVault.open(newSecret.toCharArray(),
                Bytes.fromHex(restored.get("envelope").asText()), v.walletId(), Party.P2);
        assertTrue(opened.isOk(), "the restored envelope opens with the new wallet secret");
        for (JsonNode n : List.of(copy, restored)) {
            assertFalse(n.toString().contains(code) || n.toString().contains(newSecret), "no secret in an answer");
        }
    }

    @Test
    void theAddressQrIsTheEthereumUriOfTheAddress() throws Exception {
        JsonNode qr = read(DeviceCore.addressQr("0x3535353535353535353535353535353535353535"));
        assertEquals("ethereum:0x3535353535353535353535353535353535353535", qr.get("text").asText());
        assertEquals(33, qr.get("size").asInt(), "version 4");
        String[] rows = qr.get("rows").asText().split("\n");
        assertEquals(33, rows.length);
        assertTrue(rows[0].matches("1111111[01]{19}1111111"), rows[0]);
        assertEquals("BAD_REQUEST", read(DeviceCore.addressQr("0x35")).get("code").asText());
        assertEquals("BAD_REQUEST", read(DeviceCore.addressQr("javascript:alert(1)")).get("code").asText());
    }
}
