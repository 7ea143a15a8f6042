package org.mpcwallet.crypto.demo;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.ec.Ecdsa;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.parity.InProcessRun;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.testing.AnvilProcess;
import org.mpcwallet.crypto.testing.ChainClient;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * scripts/demo: two-party key generation and signing end to end against a local Ethereum node (anvil). Both parties
 * run in this one process only for the demo; they exchange nothing but the protocol's encoded messages, and no
 * step ever combines the two shares. Prints public values only.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        SecureRandom sr = new SecureRandom();
        Env bank = new Env(sr::nextBytes, ModPow.JAVA);
        Env device = new Env(sr::nextBytes, ModPow.JAVA);
        byte[] sid = new byte[32];
        sr.nextBytes(sid);

        long t0 = System.nanoTime();
        InProcessRun.Result<P1KeyShare, P2KeyShare> kg = InProcessRun.keygen(sid, org.mpcwallet.crypto.testing.Fixtures.bankParams(),
                org.mpcwallet.crypto.testing.Fixtures.deviceParams(), bank, device);
        long keygenMs = (System.nanoTime() - t0) / 1_000_000;
        EthAddress address = EthAddress.fromPublicKey(kg.p2().publicKey().encodeUncompressed());
        System.out.println("keygen      : " + kg.messages().size() + " messages, " + total(kg.messages()) + " bytes, "
                + keygenMs + " ms");
        System.out.println("public key  : " + Bytes.toHex(kg.p1().publicKey().encode()) + " (same on both sides: "
                + kg.p1().publicKey().equals(kg.p2().publicKey()) + ")");
        System.out.println("address     : " + address.toChecksumHex());

        try (AnvilProcess node = AnvilProcess.start(); ChainClient chain = new ChainClient(node)) {
            System.out.println("anvil       : " + node.rpcUrl() + " (chain id " + chain.chainId() + ")");
            chain.fund(address, BigInteger.TEN.pow(18));
            System.out.println("funded      : 1 ETH from anvil's dev account");

            EthAddress to = EthAddress.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
            Eip1559Transaction tx = new Eip1559Transaction(chain.chainId(), chain.nonceOf(address), ChainClient.GWEI,
                    chain.maxFee(), BigInteger.valueOf(21_000), to, new BigInteger("250000000000000000"), new byte[0]);
            byte[] hash = tx.signingHash();
            P1KeyHolder holder = new P1KeyHolder(kg.p1());
            sr.nextBytes(sid);
            t0 = System.nanoTime();
            InProcessRun.Result<EcdsaSignature, SignP2.Sent> signed =
                    InProcessRun.sign(holder, kg.p2(), sid, hash, bank, device);
            long signMs = (System.nanoTime() - t0) / 1_000_000;
            EcdsaSignature sig = signed.p1();
            System.out.println("sign        : " + signed.messages().size() + " messages, " + total(signed.messages())
                    + " bytes, " + signMs + " ms; verifies under Q: "
                    + Ecdsa.verify(hash, sig, kg.p1().publicKey()));
            TransactionReceipt receipt = chain.sendAndWait(tx.encodeSigned(sig));
            System.out.println("transaction : " + receipt.getTransactionHash() + " status " + receipt.getStatus()
                    + ", from " + receipt.getFrom() + " in block " + receipt.getBlockNumber());
            System.out.println("recipient   : " + chain.balanceOf(to) + " wei");
        }
    }

    private static long total(java.util.List<byte[]> messages) {
        long n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        return n;
    }
}
