package org.mpcwallet.desktop.cli;

import static org.mpcwallet.desktop.cli.Views.describe;
import static org.mpcwallet.desktop.cli.Views.describeTxRequest;
import static org.mpcwallet.desktop.cli.Views.ethOrNull;
import static org.mpcwallet.desktop.cli.Views.shown;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.device.CosignCheck;
import org.mpcwallet.crypto.device.CosignQueue;
import org.mpcwallet.crypto.device.SignDriver;
import org.mpcwallet.crypto.eth.EthTransaction;
import org.mpcwallet.desktop.core.BankApi;
import org.mpcwallet.desktop.core.CoSigning;
import org.mpcwallet.desktop.core.DeviceSecrets;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.PoolTopUp;
import org.mpcwallet.desktop.core.ShareSelection;
import org.mpcwallet.desktop.core.SignRequest;
import org.mpcwallet.desktop.core.SigningCheck;
import org.mpcwallet.desktop.core.TxFields;
import org.mpcwallet.desktop.core.TxRequestInfo;
import org.mpcwallet.desktop.core.WalletException;

/**
 * The co-signing commands: {@code requests}, {@code sign} and {@code request-sign} (sign requests of the wallet
 * API), and {@code cosign} (a transfer of the custody pipeline): the I/O around shared-crypto's co-sign check
 * ({@code CosignCheck}) and co-sign queue ({@code CosignQueue}): REST polls, the prompt, the share and the channel.
 */
final class SigningCommands extends CommandContext {
    /** The option of {@code sign} and {@code cosign} that sets a ceiling on the maximum fee, in ETH. */
    static final String MAX_FEE_ETH = "--max-fee-eth";

    SigningCommands(CommandContext c) {
        super(c);
    }

    void requests() {
        String walletId = cl.arg(0);
        String status = cl.option("--status", "PENDING").toUpperCase(Locale.ROOT);
        BankApi api = api();
        List<SignRequest> list = api.listSignRequests(walletId, status.equals("ALL") ? null : status);
        ObjectNode n = Json.object().put("walletId", walletId);
        ArrayNode arr = n.putArray("requests");
        StringBuilder text = new StringBuilder();
        for (SignRequest r : list) {
            TxFields f = r.fields();
            arr.addObject().put("id", r.id()).put("status", r.status()).put("to", f.to())
                    .put("valueWei", f.valueWei()).put("valueEth", ethOrNull(f.valueWei())).put("chainId", f.chainId())
                    .put("nonce", f.nonce()).put("type", f.type()).put("gasLimit", f.gasLimit())
                    .put("maxFeePerGas", f.maxFeePerGas()).put("maxPriorityFeePerGas", f.maxPriorityFeePerGas())
                    .put("gasPrice", f.gasPrice()).put("data", f.data())
                    .put("signingHash", r.signingHash()).put("expiresAt", r.expiresAt());
            text.append(String.format("%s  %-8s to %s  %s ETH  chain %s  nonce %s  expires %s%n", r.id(), r.status(),
                    shown(f.to()), ethOrNull(f.valueWei()), f.chainId(), f.nonce(), r.expiresAt()));
        }
        print(n, list.isEmpty() ? "no " + status.toLowerCase(Locale.ROOT) + " sign requests" : text.toString()
                .stripTrailing());
    }

    /**
     * Checks the request (and its maximum fee against {@code --max-fee-eth}), shows it, asks, then co-signs and
     * verifies the result.
     */
    void sign() {
        String requestId = cl.arg(0);
        BigInteger ceilingWei = maxFeeCeilingWei();
        BankApi api = api();
        SignRequest req = api.getSignRequest(requestId);
        if (!"PENDING".equals(req.status())) {
            throw new WalletException("request " + requestId + " is " + req.status() + ", not PENDING");
        }
        SigningCheck.Checked checked = SigningCheck.check(req, CosignCheck.Asset.ETH, feeCeiling(ceilingWei));
        CoSigned c = coSign(api, req, checked, null, ceilingWei);
        ObjectNode n = c.json();
        print(n, "signed (signature verified under the wallet's key)\ntx hash " + n.get("txHash").asText()
                + "\nraw transaction " + n.get("rawTransaction").asText());
        c.topUp().run(); // after the result is printed: presignatures for the next co-signings
    }

    void requestSign() {
        String walletId = cl.arg(0);
        TxFields f = new TxFields(cl.option("--chain-id", null), cl.option("--nonce", null),
                cl.option("--priority-fee", null), cl.option("--max-fee", null), cl.option("--gas-limit", null),
                cl.option("--to", null), cl.option("--value-wei", null), cl.option("--data", "0x"));
        EthTransaction tx;
        try {
            tx = f.toTransaction();
        } catch (WalletException e) {
            throw new UsageException(e.getMessage());
        }
        BankApi api = api();
        SignRequest r = api.createSignRequest(walletId, f);
        String local = "0x" + Bytes.toHex(tx.signingHash());
        if (!local.equalsIgnoreCase(r.signingHash())) {
            throw new WalletException("the bank created request " + r.id() + " with signing hash " + r.signingHash()
                    + ", not the hash of the fields sent (" + local + ")");
        }
        print(Json.object().put("request", r.id()).put("walletId", r.walletId()).put("status", r.status())
                        .put("signingHash", r.signingHash()).put("expiresAt", r.expiresAt()),
                "sign request " + r.id() + " (" + r.status() + ", hash " + r.signingHash() + ")");
    }

    /**
     * The fee ceiling of {@code --max-fee-eth} in wei, or null when the option is not given: an exact decimal amount
     * of ETH; anything else is a usage error, raised before the bank is called.
     */
    BigInteger maxFeeCeilingWei() {
        String text = cl.option(MAX_FEE_ETH, null);
        return text == null ? null : weiOfEth(MAX_FEE_ETH, text);
    }

    /**
     * {@code text}, an amount of ETH as a plain decimal ("0.005", "1", "0.000042"), in wei, exactly: digits with an
     * optional point and at most 18 decimals, no sign, exponent, spaces or separators; anything else is a
     * {@link UsageException} naming {@code option}.
     */
    static BigInteger weiOfEth(String option, String text) {
        if (text.matches("-[0-9.]*")) {
            throw new UsageException(option + " must not be negative");
        }
        if (!text.matches("[0-9]{1,59}(\\.[0-9]{1,18})?")) {
            throw new UsageException(option + " must be an amount of ETH written as a plain decimal number with at "
                    + "most 18 decimals, e.g. 0.005");
        }
        int dot = text.indexOf('.');
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        return new BigInteger((dot < 0 ? text : text.substring(0, dot)) + fraction
                + "0".repeat(18 - fraction.length()));
    }

    /** The shared check's ceiling on the maximum fee (none when {@code ceilingWei} is null). */
    static CosignCheck.FeeCeiling feeCeiling(BigInteger ceilingWei) {
        return ceilingWei == null ? CosignCheck.FeeCeiling.NONE : new CosignCheck.FeeCeiling(null, ceilingWei);
    }

    /** A co-signing's JSON result and the top-up of the wallet's presignatures, to run after it is printed. */
    record CoSigned(ObjectNode json, PoolTopUp topUp) {}

    /**
     * The co-signing of a checked sign request (shared by {@code sign} and {@code cosign}): shows the transfer (with
     * the transaction request's context when there is one) and the review (with the fee ceiling {@code ceilingWei}
     * it passed, if any), asks unless {@code --yes}, opens the current share, checks the bank's address, runs SIGN
     * (or online, with a presignature) over the channel and verifies the result. Returns the JSON result.
     */
    CoSigned coSign(BankApi api, SignRequest req, SigningCheck.Checked checked, TxRequestInfo context,
            BigInteger ceilingWei) {
        String requestId = req.id();
        if (!safeExists(req.walletId()) && !shares.hasNext(req.walletId())) {
            throw new WalletException("this device holds no share for wallet " + req.walletId()
                    + " (restore a backup first)");
        }
        PrintStream shown = cl.json() ? err : out;
        if (context != null) {
            shown.println(describeTxRequest(context));
        }
        shown.println(describe(checked, ceilingWei));
        shown.flush();
        if (!cl.flag("--yes") && !confirm("Co-sign this transaction? [y/N] ")) {
            throw new WalletException("not confirmed; nothing was signed");
        }
        List<ShareSelection.Candidate> candidates;
        try (DeviceSecrets secrets = secrets()) {
            candidates = currentShares(api, req.walletId(), secrets);
            if (context != null && context.sweep()) {
                cosigning.requireSweepToOwnWallet(context, checked.tx(), secrets);
            }
        }
        CoSigning.Signed signed = cosigning.sign(api, requestId, req.walletId(), checked.tx(), candidates,
                context != null && context.sweep(), p -> {});
        SignDriver.Result r = signed.result();
        ObjectNode n = Json.object().put("request", requestId).put("walletId", req.walletId())
                .put("signingHash", checked.signingHashHex()).put("txHash", r.txHash())
                .put("rawTransaction", r.rawTransaction());
        n.putObject("signature").put("r", Bytes.toHex(Bytes.fixedWidth(r.signature().r(), 32)))
                .put("s", Bytes.toHex(Bytes.fixedWidth(r.signature().s(), 32))).put("v", r.signature().recoveryId());
        return new CoSigned(n, signed.topUp());
    }

    /**
     * {@code cosign}: waits (polling the request over REST) until the bank has prepared the transaction and opened a
     * sign request for it, checks that the sign request is exactly this transfer (wallet, recipient, amount, token
     * call data), that its hash is the hash of its fields and that its maximum fee is within {@code --max-fee-eth}
     * (when given), shows it, asks, and co-signs.
     */
    void cosign() {
        String id = cl.arg(0);
        long timeoutSeconds;
        try {
            timeoutSeconds = Long.parseLong(cl.option("--timeout", "120"));
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout must be a whole number of seconds");
        }
        if (timeoutSeconds < 0 || timeoutSeconds > 86_400) {
            throw new UsageException("--timeout must be between 0 and 86400 seconds");
        }
        BigInteger ceilingWei = maxFeeCeilingWei();
        BankApi api = api();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        CosignQueue queue = new CosignQueue(id, timeoutSeconds, feeCeiling(ceilingWei));
        TxRequestInfo r;
        CosignQueue.Decision.CoSign go;
        SignRequest req = null;
        while (true) {
            r = api.getTxRequest(id);
            CosignQueue.Transfer t = r.forCosignQueue();
            CosignQueue.Decision d = queue.onTransfer(t, System.nanoTime() >= deadline);
            if (d instanceof CosignQueue.Decision.Fetch f) {
                req = api.getSignRequest(f.signRequestId());
                d = queue.onSignRequest(t, req.forCosignQueue(Instant.now()), System.nanoTime() >= deadline);
            }
            if (d instanceof CosignQueue.Decision.CoSign c) {
                go = c;
                break;
            }
            if (d instanceof CosignQueue.Decision.Refuse refused) {
                throw new WalletException(refused.reason());
            }
            if (d instanceof CosignQueue.Decision.Stop stop) {
                if (stop.progress() != null) {
                    progress(stop.progress());
                }
                throw new WalletException(stop.reason());
            }
            String said = ((CosignQueue.Decision.Wait) d).progress();
            if (said != null) {
                progress(said);
            }
            sleep(Duration.ofSeconds(1));
        }
        SigningCheck.Checked checked = new SigningCheck.Checked(req, go.tx(), go.tx().signingHash(), go.review());
        ObjectNode n = Json.object().put("txRequest", r.id());
        CoSigned c = coSign(api, req, checked, r, ceilingWei);
        n.setAll(c.json());
        print(n, "co-signed request " + r.id() + " (signature verified under the wallet's key)\ntx hash "
                + n.get("txHash").asText() + "\nthe bank broadcasts it; follow it with `wallet status " + r.id() + "`");
        c.topUp().run(); // after the result is printed: presignatures for the next co-signings
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletException("interrupted while waiting");
        }
    }
}
