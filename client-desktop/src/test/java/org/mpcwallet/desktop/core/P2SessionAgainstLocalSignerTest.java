package org.mpcwallet.desktop.core;

import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.RefreshDriver;
import org.mpcwallet.crypto.device.ShareSink;
import org.mpcwallet.crypto.device.SignDriver;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.LegacyTransaction;
import org.mpcwallet.crypto.eth.SignedLegacyTransaction;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.desktop.testing.InProcessBank;
import org.mpcwallet.desktop.testing.TestShares;

/**
 * The device's P2 session logic (the code behind {@link MpcChannel}) against a real in-process P1: bank-signer's
 * LocalSignerGateway behind the frame rules of docs/mpc-channel.md. Keygen once (real 2048-bit Paillier), then
 * signing and the failure paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class P2SessionAgainstLocalSignerTest {
    private static final String WALLET = "5d0c7a1e-8f3b-4c2d-a9e6-1b7f0e3c5a2d";
    private static final char[] PASSWORD = "a long and correct password".toCharArray();

    private final InProcessBank bank = new InProcessBank();
    private final Env env = Env.jvm(new SecureRandom()::nextBytes);
    private ShareStore store;
    private KeygenDriver.Result keygen;
    private final List<Boolean> shareOnDiskWhenK4Arrived = new ArrayList<>();

    @TempDir
    Path tmp;

    /** Runs a session to its end; {@code tap} may rewrite (or drop, or duplicate) each bank frame. */
    static <R> DeviceSession.Reaction<R> pump(DeviceSession<R> s, InProcessBank bank, Function<String, List<String>> tap,
            List<String> sentByDevice) {
        Deque<String> toBank = new ArrayDeque<>(List.of(s.opening()));
        while (!toBank.isEmpty()) {
            String deviceFrame = toBank.poll();
            sentByDevice.add(deviceFrame);
            for (String bankFrame : bank.onDeviceFrame(deviceFrame)) {
                for (String delivered : tap.apply(bankFrame)) {
                    DeviceSession.Reaction<R> r = s.onFrame(delivered);
                    toBank.addAll(r.send());
                    if (r.finished()) {
                        r.send().forEach(sentByDevice::add);
                        r.send().forEach(bank::onDeviceFrame);
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("the session stalled");
    }

    static <R> DeviceSession.Reaction<R> pump(DeviceSession<R> s, InProcessBank bank) {
        return pump(s, bank, List::of, new ArrayList<>());
    }

    @BeforeAll
    void keygen() throws Exception {
        store = new ShareStore(Files.createTempDirectory("p2session"));
        bank.beforeSigner = (seq, payload) -> {
            if (seq == 4) {
                shareOnDiskWhenK4Arrived.add(store.exists(WALLET));
            }
        };
        DeviceSession.Reaction<KeygenDriver.Result> r = pump(
                new KeygenDriver(WALLET, share -> store.save(WALLET, share, PASSWORD), TestShares.deviceParams(), env), bank);
        bank.beforeSigner = (seq, payload) -> {};
        assertNull(r.failure(), () -> String.valueOf(r.failure()));
        keygen = r.result();
    }

    private static Eip1559Transaction tx(long nonce) {
        return new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.valueOf(nonce),
                BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(21_000),
                EthAddress.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), new BigInteger("1000000000000000"),
                new byte[0]);
    }

    @Test
    void keygenSealsTheShareBeforeK4AndTheResultMatchesTheShare() {
        assertEquals(List.of(true), shareOnDiskWhenK4Arrived, "the vault file existed when K4 reached the signer");
        P2KeyShare onDisk = store.open(WALLET, PASSWORD);
        assertArrayEquals(keygen.share().encode(), onDisk.encode());
        assertEquals(Bytes.toHex(onDisk.publicKey().encodeUncompressed()), keygen.publicKeyHex());
        assertEquals(EthAddress.fromPublicKey(onDisk.publicKey().encodeUncompressed()).toChecksumHex(),
                keygen.address());
    }

    @Test
    void signsAndVerifiesTheSignatureAndTheRawTransaction() {
        Eip1559Transaction tx = tx(0);
        String id = bank.addRequest(WALLET, tx);
        P2KeyShare share = store.open(WALLET, PASSWORD);
        List<String> sent = new ArrayList<>();
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx, share, env), bank, List::of, sent);
        assertNull(r.failure(), () -> String.valueOf(r.failure()));
        SignDriver.Result res = r.result();
        assertTrue(Ecdsa.verify(tx.signingHash(), res.signature(), share.publicKey()));
        assertEquals("0x" + Bytes.toHex(tx.encodeSigned(res.signature())), res.rawTransaction());
        assertEquals(Eip1559Transaction.decodeSigned(Bytes.fromHex(res.rawTransaction())).transaction(), tx);
        // the device's frames: sign with its own hash, then seq 2 and 4
        assertTrue(sent.get(0).contains("\"signingHash\":\"" + Bytes.toHex(tx.signingHash()) + "\""));
        assertTrue(sent.get(0).contains("\"shareEpoch\":" + share.epoch()), "the sign frame names the share's epoch");
        assertTrue(sent.get(1).contains("\"seq\":2") && sent.get(2).contains("\"seq\":4"), sent::toString);
        assertEquals(3, sent.size());
    }

    /** docs/client-desktop.md "The window": the progress bar walks every step once, in order, and ends full. */
    @Test
    void progressWalksEveryStepOfKeygenAndSignInOrder() {
        for (String kind : List.of("KEYGEN", "SIGN")) {
            DeviceSession<?> s;
            if (kind.equals("KEYGEN")) {
                s = new KeygenDriver("wallet-progress", share -> {}, TestShares.deviceParams(), env);
            } else {
                Eip1559Transaction tx = tx(7);
                s = new SignDriver(bank.addRequest(WALLET, tx), tx, store.open(WALLET, PASSWORD), env);
            }
            List<Integer> seen = new ArrayList<>();
            seen.add(s.progress().step());
            DeviceSession<?> session = s;
            DeviceSession.Reaction<?> r = pump(session, bank, frame -> {
                seen.add(session.progress().step());
                return List.of(frame);
            }, new ArrayList<>());
            assertNull(r.failure(), kind);
            seen.add(s.progress().step());
            assertEquals(List.of(0, 1, 2, 3, 4), seen.stream().distinct().toList(), kind + ": " + seen);
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) >= seen.get(i - 1), kind + " never goes back: " + seen);
            }
            assertEquals(4, s.progress().steps());
            assertEquals(1.0, s.progress().fraction());
            assertFalse(s.progress().label().isBlank());
        }
    }

    @Test
    void signsALegacyEip155TransactionUnderAPermitForItsOwnPayload() {
        LegacyTransaction tx = new LegacyTransaction(BigInteger.valueOf(31337), BigInteger.valueOf(7),
                BigInteger.valueOf(1_500_000_000L), BigInteger.valueOf(21_000),
                EthAddress.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), new BigInteger("1000000000000000"),
                new byte[0]);
        String id = bank.addRequest(WALLET, tx);
        P2KeyShare share = store.open(WALLET, PASSWORD);
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx, share, env), bank);
        assertNull(r.failure(), () -> String.valueOf(r.failure()));
        SignDriver.Result res = r.result();
        assertTrue(Ecdsa.verify(tx.signingHash(), res.signature(), share.publicKey()));
        SignedLegacyTransaction signed = LegacyTransaction.decodeSigned(Bytes.fromHex(res.rawTransaction()));
        assertEquals(tx, signed.transaction());
        assertEquals("0x" + Bytes.toHex(signed.transactionHash()), res.txHash());
    }

    @Test
    void aReplayedBankMessageIsOutOfOrderAndCancelsTheSession() {
        Eip1559Transaction tx = tx(1);
        String id = bank.addRequest(WALLET, tx);
        List<String> sent = new ArrayList<>();
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx, store.open(WALLET, PASSWORD), env),
                bank, f -> f.contains("\"type\":\"msg\"") ? List.of(f, f) : List.of(f), sent);
        assertNotNull(r.failure());
        assertEquals("OUT_OF_ORDER", r.failure().code());
        assertEquals("expected the bank's message seq 3, got 1", r.failure().detail());
        assertTrue(sent.get(sent.size() - 1).contains("\"type\":\"cancel\""), sent::toString);
    }

    @Test
    void anErrorFrameEndsTheSessionWithItsCodeAndDetail() {
        Eip1559Transaction tx = tx(2);
        String id = bank.addRequest(WALLET, tx);
        // the device signs another transaction than the bank holds: the bank refuses with HASH_MISMATCH
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx(99), store.open(WALLET, PASSWORD),
                env), bank);
        assertEquals("HASH_MISMATCH", r.failure().code());
        assertEquals("MPC session failed: HASH_MISMATCH (the device's hash differs from the request's)",
                r.failure().getMessage());
    }

    @Test
    void aTamperedProtocolMessageAbortsP2() {
        Eip1559Transaction tx = tx(3);
        String id = bank.addRequest(WALLET, tx);
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx, store.open(WALLET, PASSWORD), env),
                bank, f -> List.of(f.contains("\"seq\":3") ? flipPayload(f) : f), new ArrayList<>());
        assertEquals("PROTOCOL_ABORTED", r.failure().code());
        assertFalse(r.failure().getMessage().contains(keygen.share().x2().toString(16)));
    }

    @Test
    void aDoneWhoseRawTransactionIsNotTheSignedTransactionIsRefused() {
        Eip1559Transaction tx = tx(4);
        String id = bank.addRequest(WALLET, tx);
        String otherRaw = "0x" + Bytes.toHex(tx(5).signingPayload());
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx, store.open(WALLET, PASSWORD), env),
                bank, f -> List.of(f.contains("\"type\":\"done\"") ? replace(f, "rawTransaction", otherRaw) : f),
                new ArrayList<>());
        assertEquals("VERIFY_FAILED", r.failure().code());
        assertEquals("the bank's raw transaction is not the transaction signed", r.failure().detail());
    }

    @Test
    void aDoneWithAFlippedRecoveryIdIsRefused() {
        Eip1559Transaction tx = tx(6);
        String id = bank.addRequest(WALLET, tx);
        DeviceSession.Reaction<SignDriver.Result> r = pump(new SignDriver(id, tx, store.open(WALLET, PASSWORD), env),
                bank, f -> List.of(f.contains("\"type\":\"done\"") ? flipV(f) : f), new ArrayList<>());
        assertEquals("VERIFY_FAILED", r.failure().code());
        assertTrue(r.failure().detail().contains("recovery id"), r.failure().detail());
    }

    @Test
    void keygenWhoseShareCannotBeSavedNeverSendsK4() {
        AtomicBoolean k4 = new AtomicBoolean();
        bank.beforeSigner = (seq, payload) -> k4.compareAndSet(false, seq == 4);
        try {
            List<String> sent = new ArrayList<>();
            DeviceSession.Reaction<KeygenDriver.Result> r = pump(new KeygenDriver("wallet-disk-full", share -> {
                throw new WalletException("disk full");
            }, TestShares.deviceParams(), env), bank, List::of, sent);
            assertEquals("SHARE_NOT_SAVED", r.failure().code());
            assertEquals("the share could not be stored, K4 not sent: disk full", r.failure().detail());
            assertFalse(k4.get(), "K4 reached the signer");
            assertTrue(sent.get(sent.size() - 1).contains("\"type\":\"cancel\""), sent::toString);
        } finally {
            bank.beforeSigner = (seq, payload) -> {};
        }
    }

    @Test
    void keygenDoneWithAnotherPublicKeyIsRefused() {
        String other = "04" + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
        DeviceSession.Reaction<KeygenDriver.Result> r = pump(new KeygenDriver("wallet-other-key", share -> {}, TestShares.deviceParams(), env), bank,
                f -> List.of(f.contains("\"type\":\"done\"") ? replace(f, "publicKey", other) : f), new ArrayList<>());
        assertEquals("VERIFY_FAILED", r.failure().code());
        assertEquals("the bank's public key differs from the Q of the device's share", r.failure().detail());
    }

    @Test
    void framesThatBreakTheContractAreRefused() {
        KeygenDriver s = new KeygenDriver(WALLET, share -> {}, TestShares.deviceParams(), env);
        assertEquals("OUT_OF_ORDER", s.onFrame("{\"type\":\"msg\",\"session\":\"x\",\"seq\":1,\"payload\":\"AA==\"}")
                .failure().code());
        KeygenDriver t = new KeygenDriver(WALLET, share -> {}, TestShares.deviceParams(), env);
        assertEquals("BAD_FRAME", t.onFrame("not json").failure().code());
        KeygenDriver u = new KeygenDriver(WALLET, share -> {}, TestShares.deviceParams(), env);
        assertEquals("BAD_FRAME", u.onFrame("{\"type\":\"started\",\"session\":\"s\",\"kind\":\"KEYGEN\",\"sid\":\""
                + "00".repeat(32) + "\",\"walletId\":\"another\"}").failure().code());
        KeygenDriver v = new KeygenDriver(WALLET, share -> {}, TestShares.deviceParams(), env);
        DeviceSession.Reaction<KeygenDriver.Result> e = v.onFrame(InProcessBank.error(null, "NOT_FOUND", "no wallet"));
        assertEquals("NOT_FOUND", e.failure().code());
        assertTrue(e.send().isEmpty());
        assertTrue(v.isOver());
    }

    private static String replace(String frame, String field, String value) {
        ObjectNode n = (ObjectNode) Json.parse(frame, "frame");
        n.put(field, value);
        return Json.write(n);
    }

    private static String flipV(String frame) {
        ObjectNode n = (ObjectNode) Json.parse(frame, "frame");
        ObjectNode sig = (ObjectNode) n.get("signature");
        sig.put("v", 1 - sig.get("v").asInt());
        return Json.write(n);
    }

    private static String flipPayload(String frame) {
        ObjectNode n = (ObjectNode) Json.parse(frame, "frame");
        byte[] p = java.util.Base64.getDecoder().decode(n.get("payload").asText());
        p[p.length - 5] ^= 0x01;
        n.put("payload", java.util.Base64.getEncoder().encodeToString(p));
        return Json.write(n);
    }
}
