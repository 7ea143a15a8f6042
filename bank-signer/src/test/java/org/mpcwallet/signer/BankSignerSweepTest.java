package org.mpcwallet.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.FailureKind;
import org.mpcwallet.crypto.core.ProtocolFailure;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.signer.permit.InMemoryNonceLedger;
import org.mpcwallet.signer.permit.PermitKeys;
import org.mpcwallet.signer.permit.PermitSigner;
import org.mpcwallet.signer.permit.PermitVerifier;
import org.mpcwallet.signer.permit.SigningPermit;
import org.mpcwallet.signer.spi.InMemoryLockRepository;
import org.mpcwallet.signer.spi.InMemoryPresignatureRepository;
import org.mpcwallet.signer.spi.InMemoryShareRepository;
import org.mpcwallet.signer.store.EncryptedShareStore;
import org.mpcwallet.signer.store.KeyEncryptionKey;
import org.mpcwallet.signer.testing.TestKeys;

/**
 * docs/key-rotation.md on the signer: a locked key signs only the sweep the rotation authorized (transactions paying
 * the stored target, as many as authorized), the last one retires it, and nothing decrypts with it afterwards.
 */
class BankSignerSweepTest {
    private static final long NOW = 1_795_000_000_000L;
    private static final String KEYSET = "keyset-rotated";
    private static final KeyEncryptionKey KEK = KeyEncryptionKey.generate(TestKeys.random("sweep-kek"));
    private static final KeyPair ORCHESTRATOR = PermitKeys.generate(TestKeys.random("sweep-orchestrator"));
    private static final PermitSigner MINT = new PermitSigner(ORCHESTRATOR.getPrivate());
    private static final EthAddress TARGET = EthAddress.parse("0x2222222222222222222222222222222222222222");
    private static final EthAddress OTHER = EthAddress.parse("0x3333333333333333333333333333333333333333");
    private static final EthAddress TOKEN = EthAddress.parse("0x4444444444444444444444444444444444444444");

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private final InMemoryShareRepository shares = new InMemoryShareRepository();
    private final InMemoryLockRepository locks = new InMemoryLockRepository();
    private final BankSigner signer = new BankSigner(KEK,
            new PermitVerifier(ORCHESTRATOR.getPublic(), clock, new InMemoryNonceLedger(clock)), shares,
            new InMemoryPresignatureRepository(), locks, (k, c) -> {}, TestKeys.random("sweep-signer"),
            TestKeys.bankParams());
    private int nonces;

    BankSignerSweepTest() {
        shares.save(KEYSET, TestKeys.p1().epoch(),
                EncryptedShareStore.seal(TestKeys.p1(), KEYSET, KEK, TestKeys.random("sweep-seal")));
    }

    private void lock() {
        locks.lock(KEYSET, new ProtocolFailure(FailureKind.KEY_COMPROMISE_RISK, "O2", null,
                "signature failed verification"));
    }

    private static Eip1559Transaction eth(EthAddress to, long nonce) {
        return new Eip1559Transaction(BigInteger.ONE, BigInteger.valueOf(nonce), BigInteger.ONE, BigInteger.TWO,
                BigInteger.valueOf(21_000), to, BigInteger.TEN.pow(18), new byte[0]);
    }

    private static Eip1559Transaction token(EthAddress payee, BigInteger ethValue, long nonce) {
        return new Eip1559Transaction(BigInteger.ONE, BigInteger.valueOf(nonce), BigInteger.ONE, BigInteger.TWO,
                BigInteger.valueOf(90_000), TOKEN, ethValue, Erc20.transferCalldata(payee, BigInteger.valueOf(5)));
    }

    /** P1 (the signer) and an honest P2 through the 4 messages; the last result. */
    private Outcome<SignSession, EcdsaSignature> sign(Eip1559Transaction tx, String label) {
        nonces++;
        byte[] nonce = new byte[16];
        nonce[0] = (byte) nonces;
        SigningPermit p = SigningPermit.forTransaction("req-" + nonces, "wallet-1", KEYSET, tx, NOW - 500,
                NOW + 30_000, nonce, TestKeys.controls(), new byte[32]);
        byte[] sid = TestKeys.sid(label);
        Env env1 = TestKeys.env(label + "/p1");
        Env env2 = TestKeys.env(label + "/p2");
        Outcome<SignSession, EcdsaSignature> s1 = signer.signStart(KEYSET, sid, p.encode(), MINT.sign(p), env1);
        if (!(s1 instanceof Outcome.Continue<SignSession, EcdsaSignature> c1)) {
            return s1;
        }
        Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(TestKeys.p2(), sid, tx.signingHash()),
                c1.outbound(), env2);
        Outcome.Continue<SignSession, EcdsaSignature> c3 = cont(signer.signNext(c1.session(), b1.outbound(), env1));
        Step<SignP2.State, SignP2.Sent> b2 = SignP2.next(((Step.Continue<SignP2.State, SignP2.Sent>) b1).state(),
                c3.outbound(), env2);
        return signer.signNext(c3.session(), b2.outbound(), env1);
    }

    private static void assertRefused(Outcome<SignSession, EcdsaSignature> r, String contains) {
        ProtocolFailure f = assertInstanceOf(Outcome.Aborted.class, r, r::toString).failure();
        assertEquals(FailureKind.KEY_LOCKED, f.kind());
        assertTrue(f.reason().contains(contains), f::toString);
    }

    @Test
    void aSweepIsAuthorizedOnlyOnALockedKeyAndAlwaysToOneTarget() {
        Outcome<Void, KeysetInfo> unlocked = signer.authorizeSweep(KEYSET, TARGET.toLowerHex(), 1);
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class, unlocked).failure().kind());
        lock();
        Outcome<Void, KeysetInfo> first = signer.authorizeSweep(KEYSET, TARGET.toLowerHex(), 2);
        KeysetInfo info = assertInstanceOf(Outcome.Done.class, first).result() instanceof KeysetInfo k ? k : null;
        assertEquals(2, info.sweep().left());
        assertTrue(info.locked());
        assertFalse(info.retired());
        assertInstanceOf(Outcome.Aborted.class, signer.authorizeSweep(KEYSET, OTHER.toLowerHex(), 1),
                "one target for life");
        String upper = "0x" + TARGET.toLowerHex().substring(2).toUpperCase(java.util.Locale.ROOT);
        assertInstanceOf(Outcome.Done.class, signer.authorizeSweep(KEYSET, upper, 1),
                "the same target again (in any case) adds signatures");
        assertEquals(3, signer.keyset(KEYSET).sweep().left());
    }

    @Test
    void aLockedKeyWithoutASweepSignsNothing() {
        lock();
        assertRefused(sign(eth(TARGET, 0), "no-sweep"), "rotate");
    }

    @Test
    void aLockedKeySignsItsSweepOnlyToTheTargetAndTheLastOneRetiresIt() {
        lock();
        assertInstanceOf(Outcome.Done.class, signer.authorizeSweep(KEYSET, TARGET.toLowerHex(), 2));

        assertRefused(sign(eth(OTHER, 0), "other"), "this transaction pays " + OTHER.toLowerHex());
        assertRefused(sign(token(OTHER, BigInteger.ZERO, 0), "token-other"), "pays " + OTHER.toLowerHex());
        assertRefused(sign(token(TARGET, BigInteger.ONE, 0), "token-with-eth"), "carries no ETH");
        Eip1559Transaction call = new Eip1559Transaction(BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE,
                BigInteger.TWO, BigInteger.valueOf(90_000), TARGET, BigInteger.ZERO, new byte[] {1, 2, 3, 4});
        assertRefused(sign(call, "call"), "other than an ERC-20 transfer");
        assertEquals(2, signer.keyset(KEYSET).sweep().left(), "refusals take no sweep signature");

        Eip1559Transaction ethSweep = eth(TARGET, 0);
        Outcome.Done<SignSession, EcdsaSignature> first = fin(sign(ethSweep, "sweep-eth"));
        assertTrue(Ecdsa.verify(ethSweep.signingHash(), first.result(), TestKeys.p1().publicKey()));
        assertEquals(1, signer.keyset(KEYSET).sweep().left());
        assertFalse(signer.keyset(KEYSET).retired());

        fin(sign(token(TARGET, BigInteger.ZERO, 1), "sweep-token"));
        KeysetInfo after = signer.keyset(KEYSET);
        assertTrue(after.retired(), "the last sweep signature retires the key");
        assertEquals(0, after.sweep().left());
        assertEquals(0, locks.markerCount(), "each sweep's decryption marker is gone after its signature");

        assertRefused(sign(eth(TARGET, 2), "after-retire"), "retired for good");
        assertInstanceOf(Outcome.Aborted.class, signer.authorizeSweep(KEYSET, TARGET.toLowerHex(), 1),
                "a retired key takes no new sweep");
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class,
                signer.refreshStart(KEYSET, TestKeys.sid("refresh-retired"), TestKeys.env("r"))).failure().kind());
        assertEquals(FailureKind.KEY_LOCKED, assertInstanceOf(Outcome.Aborted.class,
                signer.presignStart(KEYSET, TestKeys.sid("presign-retired"), TestKeys.env("p"))).failure().kind());
    }

    @Test
    void aSweepSessionStartedBeforeTheLastSignatureWasTakenElsewhereIsRefusedBeforeDecryption() {
        lock();
        assertInstanceOf(Outcome.Done.class, signer.authorizeSweep(KEYSET, TARGET.toLowerHex(), 1));
        // another instance takes the only sweep signature while this session runs
        Eip1559Transaction tx = eth(TARGET, 0);
        nonces++;
        byte[] nonce = new byte[16];
        nonce[0] = (byte) nonces;
        SigningPermit p = SigningPermit.forTransaction("req-race", "wallet-1", KEYSET, tx, NOW - 500, NOW + 30_000,
                nonce, TestKeys.controls(), new byte[32]);
        byte[] sid = TestKeys.sid("race");
        Env env1 = TestKeys.env("race/p1");
        Env env2 = TestKeys.env("race/p2");
        Outcome.Continue<SignSession, EcdsaSignature> c1 =
                cont(signer.signStart(KEYSET, sid, p.encode(), MINT.sign(p), env1));
        Step<SignP2.State, SignP2.Sent> b1 = SignP2.next(SignP2.start(TestKeys.p2(), sid, tx.signingHash()),
                c1.outbound(), env2);
        Outcome.Continue<SignSession, EcdsaSignature> c3 = cont(signer.signNext(c1.session(), b1.outbound(), env1));
        assertTrue(locks.takeSweep(KEYSET));
        Step<SignP2.State, SignP2.Sent> b2 = SignP2.next(((Step.Continue<SignP2.State, SignP2.Sent>) b1).state(),
                c3.outbound(), env2);
        assertRefused(signer.signNext(c3.session(), b2.outbound(), env1), "retired for good");
        assertEquals(0, locks.markerCount(), "refused before any decryption marker was written");
    }

    private static <S, R> Outcome.Continue<S, R> cont(Outcome<S, R> o) {
        return assertInstanceOf(Outcome.Continue.class, o, () -> "P1: " + o);
    }

    private static <S, R> Outcome.Done<S, R> fin(Outcome<S, R> o) {
        return assertInstanceOf(Outcome.Done.class, o, () -> "P1: " + o);
    }
}
