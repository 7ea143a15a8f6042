package org.mpcwallet.crypto.parity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.channel.Base64Codec;
import org.mpcwallet.crypto.channel.Frame;
import org.mpcwallet.crypto.channel.FrameCodec;
import org.mpcwallet.crypto.channel.Json;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.core.DeterministicRandom;
import org.mpcwallet.crypto.core.ModPow;
import org.mpcwallet.crypto.core.Party;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.DeviceSession;
import org.mpcwallet.crypto.device.KeygenDriver;
import org.mpcwallet.crypto.device.OnlineSignDriver;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.device.VaultUnlock;
import org.mpcwallet.crypto.ec.EcdsaSignature;
import org.mpcwallet.crypto.ec.Point;
import org.mpcwallet.crypto.eth.Eip1559Transaction;
import org.mpcwallet.crypto.eth.Erc20;
import org.mpcwallet.crypto.eth.EthAddress;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.crypto.eth.LegacyTransaction;
import org.mpcwallet.crypto.hash.HmacSha256;
import org.mpcwallet.crypto.hash.Keccak256;
import org.mpcwallet.crypto.hash.Sha256;
import org.mpcwallet.crypto.protocol.Env;
import org.mpcwallet.crypto.protocol.P1KeyShare;
import org.mpcwallet.crypto.protocol.P2KeyShare;
import org.mpcwallet.crypto.protocol.Step;
import org.mpcwallet.crypto.protocol.keygen.KeygenP1;
import org.mpcwallet.crypto.protocol.sign.P1KeyHolder;
import org.mpcwallet.crypto.protocol.sign.P1Presignature;
import org.mpcwallet.crypto.protocol.sign.P2Presignature;
import org.mpcwallet.crypto.protocol.sign.PresignP1;
import org.mpcwallet.crypto.protocol.sign.SignP2;
import org.mpcwallet.crypto.vault.ShareVault;
import org.mpcwallet.crypto.zk.ProvenRingPedersen;

/**
 * The parity gate's runner: fixed vectors and seeded protocol transcripts, one line {@code name=hex} each. The JVM
 * and the TeaVM build (WasmGC in Chromium) must print byte-identical reports, and the JVM report must match the
 * golden file checked in under shared-crypto/src/test/resources/golden/parity-report.txt.
 */
public final class ParityRunner {
    private ParityRunner() {}

    public static List<String> lines() {
        return lines(ModPow.JAVA);
    }

    /** The report, with modular exponentiation supplied by the platform (the browser passes its BigInt bridge). */
    public static List<String> lines(ModPow modPow) {
        List<String> out = new ArrayList<>();
        vectors(out);
        transcripts(out, modPow);
        return out;
    }

    public static String report(ModPow modPow) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(modPow)) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    public static String report() {
        return report(ModPow.JAVA);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void vectors(List<String> out) {
        byte[] abc = utf8("abc");
        out.add("sha256.abc=" + Bytes.toHex(Sha256.hash(abc)));
        out.add("keccak256.empty=" + Bytes.toHex(Keccak256.hash(new byte[0])));
        out.add("keccak256.abc=" + Bytes.toHex(Keccak256.hash(abc)));
        out.add("hmac-sha256.rfc4231-2=" + Bytes.toHex(HmacSha256.mac(utf8("Jefe"), utf8("what do ya want for nothing?"))));
        byte[] drbg = new byte[48];
        DeterministicRandom.fromLabel("parity").nextBytes(drbg);
        out.add("drbg.parity=" + Bytes.toHex(drbg));
        // EIP-155 example transaction (the EIP's own vector): signing hash
        LegacyTransaction eip155 = new LegacyTransaction(BigInteger.ONE, BigInteger.valueOf(9),
                BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(21000),
                EthAddress.parse("0x3535353535353535353535353535353535353535"), new BigInteger("1000000000000000000"),
                new byte[0]);
        out.add("eip155.example.signing-hash=" + Bytes.toHex(eip155.signingHash()));
        out.add("erc20.transfer=" + Bytes.toHex(Erc20.transferCalldata(
                EthAddress.parse("0x3535353535353535353535353535353535353535"), BigInteger.valueOf(123456789))));
        // the share vault with fixed randomness (PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-GCM)
        byte[] envelope = ShareVault.seal("correct horse battery staple".toCharArray(), "wallet-parity", Party.P2,
                utf8("parity share bytes"), DeterministicRandom.fromLabel("parity/vault"));
        out.add("vault.seal=" + Bytes.toHex(Sha256.hash(envelope)));
        channel(out);
        cosign(out);
    }

    /** The shared co-sign check: a request's fields rebuilt and hashed, a mismatch and an invalid field explained. */
    private static void cosign(List<String> out) {
        String to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        CosignCheck.Built built = CosignCheck.build(new CosignCheck.Fields("EIP1559", "31337", "7", "1000000000",
                "30000000000", null, "21000", to, "1000000000000000", "0x"));
        EthTransaction tx = ((CosignCheck.Built.Ok) built).tx();
        out.add("device.cosign.hash=" + Bytes.toHex(tx.signingHash()));
        out.add("device.cosign.hash-matches=" + CosignCheck.hashMatches(tx, "0x" + Bytes.toHex(tx.signingHash())));
        out.add("device.cosign.mismatch=" + CosignCheck.mismatch(new CosignCheck.Transfer("w", to,
                new BigInteger("2000000000000000"), null, BigInteger.valueOf(31337)), "w", tx));
        CosignCheck.Built bad = CosignCheck.build(new CosignCheck.Fields("LEGACY", "1", "0", null, null, "01",
                "21000", to, "0", null));
        out.add("device.cosign.invalid=" + (bad instanceof CosignCheck.Built.Invalid i ? i.reason() : "built"));
        out.add("device.cosign.review=" + review(CosignCheck.review(tx, CosignCheck.Asset.ETH)));
        String token = "0x1111111111111111111111111111111111111111";
        EthTransaction erc20 = ((CosignCheck.Built.Ok) CosignCheck.build(new CosignCheck.Fields("EIP1559", "1", "0",
                "1", "2500000001", null, "60000", token, "0", "0x" + Bytes.toHex(Erc20.transferCalldata(
                EthAddress.parse(to), new BigInteger("1500000")))))).tx();
        out.add("device.cosign.review-erc20=" + review(CosignCheck.review(erc20, new CosignCheck.Asset("USDC", 6,
                token))));
        EthTransaction legacy = ((CosignCheck.Built.Ok) CosignCheck.build(new CosignCheck.Fields("LEGACY", "1", "9",
                null, null, "2500000001", "21000", to, "1", null))).tx();
        out.add("device.cosign.review-legacy=" + review(CosignCheck.review(legacy, CosignCheck.Asset.ETH)));
        CosignCheck.Outcome tooDear = CosignCheck.check(new CosignCheck.Fields("EIP1559", "31337", "7", "1000000000",
                "30000000000", null, "21000", to, "1000000000000000", "0x"), "0x" + Bytes.toHex(tx.signingHash()), "w",
                null, null, new CosignCheck.FeeCeiling(null, new BigInteger("600000000000000")));
        out.add("device.cosign.ceiling=" + ((CosignCheck.Outcome.Refused) tooDear).message("s1", null));
        CosignQueue queue = new CosignQueue("tx1", 5, null);
        CosignQueue.Transfer waiting = new CosignQueue.Transfer("tx1", "APPROVAL_PENDING", null, 1, 2, null,
                new CosignCheck.Transfer("w", to, new BigInteger("1000000000000000"), null, null), null);
        out.add("device.queue.wait=" + ((CosignQueue.Decision.Wait) queue.onTransfer(waiting, false)).progress());
        out.add("device.queue.stop=" + ((CosignQueue.Decision.Stop) queue.onTransfer(waiting, true)).reason());
        vaultUnlock(out);
    }

    /** The rule for which secret opens a vault (shared-crypto {@code device.VaultUnlock}), each path once. */
    private static void vaultUnlock(List<String> out) {
        VaultUnlock.Attempt walletWrong = new VaultUnlock.Attempt(VaultUnlock.Secret.WALLET_SECRET,
                VaultUnlock.Outcome.WRONG);
        VaultUnlock.Attempt walletOpened = new VaultUnlock.Attempt(VaultUnlock.Secret.WALLET_SECRET,
                VaultUnlock.Outcome.OPENED);
        VaultUnlock.Attempt loginOpened = new VaultUnlock.Attempt(VaultUnlock.Secret.LOGIN_PASSWORD,
                VaultUnlock.Outcome.OPENED);
        VaultUnlock.Attempt loginWrong = new VaultUnlock.Attempt(VaultUnlock.Secret.LOGIN_PASSWORD,
                VaultUnlock.Outcome.WRONG);
        out.add("device.unlock.marked-first=" + step(VaultUnlock.next(true, List.of())));
        out.add("device.unlock.marked-wrong=" + ((VaultUnlock.Refused) VaultUnlock.next(true, List.of(walletWrong)))
                .message("w1"));
        out.add("device.unlock.legacy-first=" + step(VaultUnlock.next(false, List.of())));
        out.add("device.unlock.legacy-migrates=" + step(VaultUnlock.next(false, List.of(loginOpened))));
        out.add("device.unlock.legacy-then=" + step(VaultUnlock.next(false, List.of(loginWrong))));
        out.add("device.unlock.mark-restored=" + step(VaultUnlock.next(false, List.of(loginWrong, walletOpened))));
        out.add("device.unlock.neither=" + ((VaultUnlock.Refused) VaultUnlock.next(false,
                List.of(loginWrong, walletWrong))).message("w1"));
        out.add("device.unlock.short=" + VaultUnlock.newSecretProblem("\uD83D\uDD11abcdefghij".toCharArray(), null));
        out.add("device.unlock.same=" + VaultUnlock.newSecretProblem("correct horse".toCharArray(),
                "correct horse".toCharArray()));
        out.add("device.unlock.ok=" + VaultUnlock.newSecretProblem("correct horse".toCharArray(),
                "other".toCharArray()));
        out.add("device.unlock.migrated=" + VaultUnlock.migrated("w1"));
    }

    /** A step of the vault rule in words (not a record's toString, which the two platforms need not share). */
    private static String step(VaultUnlock.Step s) {
        if (s instanceof VaultUnlock.Try t) {
            return "try " + t.secret();
        }
        if (s instanceof VaultUnlock.Opened o) {
            return "opened with " + o.openedWith() + " reseal=" + o.reseal() + " mark=" + o.mark() + " report="
                    + o.report();
        }
        return "refused " + ((VaultUnlock.Refused) s).reason();
    }

    /** A review in one line: every value the user is shown. */
    private static String review(CosignCheck.Review r) {
        return r.type() + " chain " + r.chainId() + " nonce " + r.nonce() + ": " + r.amountText() + " to "
                + r.recipient() + (r.tokenContract() == null ? "" : " (token " + r.tokenContract() + ")") + ", value "
                + r.valueEth() + " ETH, fee cap " + r.feeCapGwei() + " gwei, tip "
                + (r.priorityFeeGwei() == null ? "none (legacy)" : r.priorityFeeGwei() + " gwei") + ", gas " + r.gasLimit() + ", max fee " + r.maxFeeEth() + " ETH, data " + r.dataLength()
                + " bytes";
    }

    /** The channel's JSON and frame codec (docs/redesign.md): the same accept/refuse decisions and text everywhere. */
    private static void channel(List<String> out) {
        String s = "8f14e45f-ceea-4167-a5a6-0d7c2a0d8c9e";
        String h = "ab".repeat(32);
        String[] device = {
            "{\"type\":\"sign\",\"requestId\":\"" + s + "\",\"signingHash\":\"" + h.toUpperCase() + "\",\"shareEpoch\":2}",
            "{\"type\":\"msg\",\"session\":\"" + s + "\",\"seq\":2,\"payload\":\"AQID\",\"v\":1}",
            "{\"type\":\"msg\",\"session\":\"" + s + "\",\"seq\":2.9,\"payload\":\"AQID\"}",
            "{\"type\":\"keygen\",\"walletId\":\"w-1\",\"x\":1}",
            "{\"type\":\"ping\",\"type\":\"keygen\"}",
            "{\"type\":\"ping\",\"v\":2}",
            " [\"\\ud83d\\ude00\", \"\\u00e9\"] ",
        };
        for (int i = 0; i < device.length; i++) {
            out.add("channel.device." + i + "=" + shown(FrameCodec.decodeFromDevice(device[i])));
        }
        String[] bank = {
            "{\"type\":\"done\",\"session\":\"" + s + "\",\"kind\":\"SIGN\",\"requestId\":\"" + s
                    + "\",\"signature\":{\"r\":\"" + h + "\",\"s\":\"" + h + "\",\"v\":1},\"rawTransaction\":\"0x02F8\","
                    + "\"txHash\":\"0x" + h + "\"}",
            "{\"type\":\"error\",\"session\":null,\"code\":\"BAD_FRAME\",\"detail\":\"a\\nb\\u0001\"}",
            "{\"type\":\"started\",\"session\":\"" + s + "\",\"kind\":\"KEYGEN\",\"sid\":\"" + h + "\"}",
        };
        for (int i = 0; i < bank.length; i++) {
            out.add("channel.bank." + i + "=" + shown(FrameCodec.decodeFromBank(bank[i])));
        }
        Json.Parsed doc = Json.parse(" {\"a\":[1,-0.5e+3,true,null,\"\\ud83d\\ude00\\t\"],\"b\":{}} ");
        out.add("channel.json=" + (doc instanceof Json.Parsed.Ok ok ? Json.write(ok.value()) : "refused"));
        Json.Parsed refused = Json.parse("{\"a\":\"\\ud800\"}");
        out.add("channel.json.refused=" + (refused instanceof Json.Parsed.Refused r ? r.reason() + " at " + r.offset()
                : "accepted"));
        out.add("channel.base64=" + Base64Codec.encode(utf8("parity \u00ff")) + " "
                + Bytes.toHex(Base64Codec.decode("cGFyaXR5IMO/")));
    }

    /**
     * The device's keygen driver (shared-crypto {@code device}) against the bank's P1 steps, every message through the
     * channel's codec as on the wire: what the device sends, and its checked result.
     */
    private static void deviceDriver(List<String> out, ModPow modPow, ProvenRingPedersen bankParams,
            ProvenRingPedersen deviceParams) {
        String wallet = "wallet-parity";
        String session = "driver-session";
        byte[] sid = sid("driver");
        List<P2KeyShare> sealed = new ArrayList<>();
        KeygenDriver d = new KeygenDriver(wallet, sealed::add, deviceParams, env("parity/d2", modPow));
        out.add("device.keygen.opening=" + d.opening());
        Env env1 = env("parity/d1", modPow);
        Step<KeygenP1.State, P1KeyShare> bank = KeygenP1.start(sid, bankParams, null, env1);
        DeviceSession.Reaction<KeygenDriver.Result> r = d.onFrame(FrameCodec.encode(
                new Frame.Started(session, "KEYGEN", Bytes.toHex(sid), wallet, null)));
        long seq = 1;
        while (bank instanceof Step.Continue<KeygenP1.State, P1KeyShare> c) {
            r = d.onFrame(FrameCodec.encode(new Frame.Msg(session, seq, c.outbound())));
            if (r.failure() != null || r.send().size() != 1) {
                out.add("device.keygen.failed=" + (r.failure() == null ? "no reply" : r.failure().getMessage()));
                return;
            }
            String reply = r.send().get(0);
            out.add("device.keygen.sent" + (seq + 1) + "=" + Bytes.toHex(Sha256.hash(utf8(reply))));
            Frame.Msg m = (Frame.Msg) ((FrameCodec.Decoded.Ok<Frame.FromDevice>) FrameCodec.decodeFromDevice(reply))
                    .frame();
            bank = KeygenP1.next(c.state(), m.payload(), env1);
            seq += 2;
        }
        P1KeyShare p1 = ((Step.Done<KeygenP1.State, P1KeyShare>) bank).result();
        byte[] q = p1.publicKey().encodeUncompressed();
        r = d.onFrame(FrameCodec.encode(new Frame.KeygenDone(session, wallet, Bytes.toHex(q),
                EthAddress.fromPublicKey(q).toChecksumHex())));
        out.add("device.keygen.result=" + (r.result() == null ? r.failure().getMessage()
                : r.result().address() + " sealed " + sealed.size()));
    }

    /**
     * The device's presign + online driver (shared-crypto {@code device.OnlineSignDriver}) against the bank's P1 steps,
     * every message through the channel's codec: what the device sends, the presignature and the verified signature.
     */
    private static void deviceOnline(List<String> out, ModPow modPow, P1KeyHolder holder, P2KeyShare share,
            EthTransaction tx) {
        String session = "online-driver-session";
        byte[] sid = sid("driver-presign");
        OnlineSignDriver<P2Presignature> pre = OnlineSignDriver.presign(session, sid, share, env("parity/dp2",
                modPow));
        pre.open();
        Env env1 = env("parity/dp1", modPow);
        Step.Continue<PresignP1.AwaitingNonce, P1Presignature> s1 =
                (Step.Continue<PresignP1.AwaitingNonce, P1Presignature>) holder.presignStart(sid, env1);
        DeviceSession.Reaction<P2Presignature> r = pre.onFrame(FrameCodec.encode(new Frame.Msg(session, 1,
                s1.outbound())));
        if (r.failure() != null || r.send().size() != 1) {
            out.add("device.presign.failed=" + (r.failure() == null ? "no reply" : r.failure().getMessage()));
            return;
        }
        out.add("device.presign.sent2=" + Bytes.toHex(Sha256.hash(utf8(r.send().get(0)))));
        Step<PresignP1.AwaitingNonce, P1Presignature> s3 = holder.presignNext(s1.state(), payload(r.send().get(0)));
        if (!(s3 instanceof Step.Done<PresignP1.AwaitingNonce, P1Presignature> done)) {
            out.add("device.presign.failed=the bank refused S2");
            return;
        }
        holder.addPresignature(done.result());
        r = pre.onFrame(FrameCodec.encode(new Frame.Msg(session, 3, done.outbound())));
        if (r.result() == null) {
            out.add("device.presign.failed=" + (r.failure() == null ? "no result" : r.failure().getMessage()));
            return;
        }
        P2Presignature presig = r.result();
        out.add("device.presign.result=" + presig.idHex());
        String request = "request-parity";
        OnlineSignDriver<SignDriver.Result> on = OnlineSignDriver.online("online-driver-session-2", request, tx,
                share, presig, env("parity/do2", modPow));
        DeviceSession.Reaction<SignDriver.Result> o1 = on.open();
        if (o1.failure() != null) {
            out.add("device.online.failed=" + o1.failure().getMessage());
            return;
        }
        out.add("device.online.sent1=" + Bytes.toHex(Sha256.hash(utf8(o1.send().get(0)))));
        Step<Void, EcdsaSignature> fin = holder.online(presig.idHex(), tx.signingHash(), payload(o1.send().get(0)),
                env("parity/do1", modPow));
        if (!(fin instanceof Step.Done<Void, EcdsaSignature> signed)) {
            out.add("device.online.failed=the bank refused O1");
            return;
        }
        EcdsaSignature sig = signed.result();
        byte[] raw = tx.encodeSigned(sig);
        DeviceSession.Reaction<SignDriver.Result> result = on.onFrame(FrameCodec.encode(new Frame.SignDone(
                "online-driver-session-2", request, Bytes.toHex(Bytes.fixedWidth(sig.r(), 32)),
                Bytes.toHex(Bytes.fixedWidth(sig.s(), 32)), sig.recoveryId(), "0x" + Bytes.toHex(raw),
                "0x" + Bytes.toHex(Keccak256.hash(raw)))));
        out.add("device.online.result=" + (result.result() == null ? result.failure().getMessage()
                : result.result().txHash()));
    }

    private static byte[] payload(String deviceFrame) {
        return ((Frame.Msg) ((FrameCodec.Decoded.Ok<Frame.FromDevice>) FrameCodec.decodeFromDevice(deviceFrame))
                .frame()).payload();
    }

    private static String shown(FrameCodec.Decoded<?> d) {
        return d instanceof FrameCodec.Decoded.Ok<?> ok ? FrameCodec.encode(ok.frame())
                : "refused " + ((FrameCodec.Decoded.Refused<?>) d).code() + ": "
                + ((FrameCodec.Decoded.Refused<?>) d).detail();
    }

    private static Env env(String label, ModPow modPow) {
        return new Env(DeterministicRandom.fromLabel(label), modPow);
    }

    private static byte[] sid(String label) {
        return Sha256.hash(utf8("parity/sid/" + label));
    }

    private static void log(List<String> out, String name, List<byte[]> messages) {
        for (int i = 0; i < messages.size(); i++) {
            out.add(name + ".msg" + (i + 1) + "=" + Bytes.toHex(Sha256.hash(messages.get(i))) + " len="
                    + messages.get(i).length);
        }
    }

    private static void transcripts(List<String> out, ModPow modPow) {
        ProvenRingPedersen bankParams = TestRingPedersen.proven("parity", modPow);
        ProvenRingPedersen deviceParams = TestRingPedersen.proven("parity-device", modPow);
        out.add("ring-pedersen.fingerprint=" + Bytes.toHex(bankParams.fingerprint()));
        out.add("ring-pedersen.device-fingerprint=" + Bytes.toHex(deviceParams.fingerprint()));
        InProcessRun.Result<P1KeyShare, P2KeyShare> kg = InProcessRun.keygen(sid("keygen"), bankParams, deviceParams,
                env("parity/p1", modPow), env("parity/p2", modPow));
        log(out, "keygen", kg.messages());
        Point q = kg.p2().publicKey();
        out.add("keygen.Q=" + Bytes.toHex(q.encode()));
        EthAddress address = EthAddress.fromPublicKey(q.encodeUncompressed());
        out.add("keygen.address=" + address.toChecksumHex());
        deviceDriver(out, modPow, bankParams, deviceParams);

        P1KeyHolder holder = new P1KeyHolder(kg.p1());
        Eip1559Transaction tx = new Eip1559Transaction(BigInteger.valueOf(31337), BigInteger.ZERO,
                BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(30_000_000_000L), BigInteger.valueOf(21000),
                EthAddress.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), new BigInteger("1000000000000000"),
                new byte[0]);
        byte[] hash = tx.signingHash();
        out.add("eip1559.signing-hash=" + Bytes.toHex(hash));
        InProcessRun.Result<EcdsaSignature, SignP2.Sent> sg =
                InProcessRun.sign(holder, kg.p2(), sid("sign"), hash, env("parity/s1", modPow), env("parity/s2", modPow));
        log(out, "sign", sg.messages());
        out.add("sign.signed-tx=" + Bytes.toHex(tx.encodeSigned(sg.p1())));

        InProcessRun.Result<P1Presignature, P2Presignature> pre = InProcessRun.presign(holder, kg.p2(), sid("presign"),
                env("parity/pre1", modPow), env("parity/pre2", modPow));
        log(out, "presign", pre.messages());
        byte[] hash2 = Sha256.hash(utf8("parity online message"));
        InProcessRun.Result<EcdsaSignature, byte[]> on =
                InProcessRun.online(holder, kg.p2(), pre.p2(), hash2, env("parity/on1", modPow),
                        env("parity/on2", modPow));
        log(out, "online", on.messages());
        out.add("online.signature=" + Bytes.toHex(Bytes.concat(Bytes.fixedWidth(on.p1().r(), 32),
                Bytes.fixedWidth(on.p1().s(), 32), new byte[] {(byte) on.p1().recoveryId()})));

        deviceOnline(out, modPow, holder, kg.p2(), tx);

        InProcessRun.Result<P1KeyShare, P2KeyShare> rf = InProcessRun.refresh(kg.p1(), kg.p2(), sid("refresh"),
                bankParams, deviceParams, env("parity/r1", modPow), env("parity/r2", modPow));
        log(out, "refresh", rf.messages());
        out.add("refresh.fingerprint=" + Bytes.toHex(rf.p2().fingerprint()));
    }
}
