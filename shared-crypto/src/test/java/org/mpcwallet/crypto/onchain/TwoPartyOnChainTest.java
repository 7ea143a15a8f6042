package org.mpcwallet.crypto.onchain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.LegacyTransaction;
import org.mpcwallet.crypto.parity.InProcessRun;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.mpcwallet.crypto.testing.ChainClient;
import org.mpcwallet.crypto.testing.Fixtures;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The real-chain gate: a key made by the two-party keygen (with real randomness), transfers signed by the 2PC
 * protocol (4-message flow and presignature + online), encoded by our classes, accepted and mined by a local anvil
 * node; the node recovers the 2PC address as sender.
 */
class TwoPartyOnChainTest {
    private static AnvilProcess node;
    private static ChainClient chain;

    @BeforeAll
    static void startNode() throws Exception {
        node = AnvilProcess.start();
        chain = new ChainClient(node);
    }

    @AfterAll
    static void stopNode() {
        if (chain != null) {
            chain.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static Env secure() {
        java.security.SecureRandom sr = new java.security.SecureRandom();
        return new Env(sr::nextBytes, ModPow.JAVA);
    }

    @Test
    void transfersSignedByTheTwoPartyProtocolAreMinedWithTheTwoPartySender() throws Exception {
        InProcessRun.Result<P1KeyShare, P2KeyShare> kg =
                InProcessRun.keygen(Fixtures.sid("onchain-" + System.nanoTime()), Fixtures.bankParams(),
                Fixtures.deviceParams(), secure(), secure());
        EthAddress from = EthAddress.fromPublicKey(kg.p2().publicKey().encodeUncompressed());
        chain.fund(from, BigInteger.TEN.pow(18));
        P1KeyHolder holder = new P1KeyHolder(kg.p1());
        EthAddress to = EthAddress.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        BigInteger before = chain.balanceOf(to);
        BigInteger amount = new BigInteger("12345678900000");

        // 1. EIP-1559 transfer, 4-message signing
        Eip1559Transaction tx = new Eip1559Transaction(chain.chainId(), chain.nonceOf(from), ChainClient.GWEI,
                chain.maxFee(), BigInteger.valueOf(21_000), to, amount, new byte[0]);
        InProcessRun.Result<EcdsaSignature, SignP2.Sent> sig = InProcessRun.sign(holder, kg.p2(),
                Fixtures.sid("onchain-sign-" + System.nanoTime()), tx.signingHash(), secure(), secure());
        TransactionReceipt r1 = chain.sendAndWait(tx.encodeSigned(sig.p1()));
        assertEquals("0x1", r1.getStatus());
        assertEquals(from.toLowerHex(), r1.getFrom().toLowerCase());

        // 2. legacy EIP-155 transfer, presignature + one-message online signing
        InProcessRun.Result<P1Presignature, P2Presignature> pre = InProcessRun.presign(holder, kg.p2(),
                Fixtures.sid("onchain-pre-" + System.nanoTime()), secure(), secure());
        LegacyTransaction legacy = new LegacyTransaction(chain.chainId(), chain.nonceOf(from), chain.maxFee(),
                BigInteger.valueOf(21_000), to, amount, new byte[0]);
        InProcessRun.Result<EcdsaSignature, byte[]> online =
                InProcessRun.online(holder, kg.p2(), pre.p2(), legacy.signingHash(), secure(), secure());
        TransactionReceipt r2 = chain.sendAndWait(legacy.encodeSigned(online.p1()));
        assertEquals("0x1", r2.getStatus());
        assertEquals(from.toLowerHex(), r2.getFrom().toLowerCase());

        assertEquals(before.add(amount.multiply(BigInteger.TWO)), chain.balanceOf(to));
    }
}
