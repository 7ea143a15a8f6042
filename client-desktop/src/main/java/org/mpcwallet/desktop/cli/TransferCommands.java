package org.mpcwallet.desktop.cli;

import static org.mpcwallet.desktop.cli.Views.amountText;
import static org.mpcwallet.desktop.cli.Views.describeTxRequest;
import static org.mpcwallet.desktop.cli.Views.shown;
import static org.mpcwallet.desktop.cli.Views.units;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.mpcwallet.desktop.core.Balances;
import org.mpcwallet.desktop.core.Deposit;
import org.mpcwallet.desktop.core.Json;
import org.mpcwallet.desktop.core.TxRequestInfo;

/**
 * The custody pipeline's commands (docs/custody-pipeline.md) other than co-signing: {@code send}, {@code status},
 * {@code transfers}, {@code approve}, {@code balances}, {@code deposits}.
 */
final class TransferCommands extends CommandContext {
    TransferCommands(CommandContext c) {
        super(c);
    }

    /** {@code send}: a transaction request; the bank screens it, applies its policies and collects approvals. */
    void send() {
        String walletId = cl.arg(0);
        String to = cl.option("--to", null);
        String amount = cl.option("--amount", null);
        String asset = cl.option("--asset", "ETH").toUpperCase(Locale.ROOT);
        if (!to.matches("0x[0-9a-fA-F]{40}")) {
            throw new UsageException("--to must be 0x followed by 40 hex digits");
        }
        if (!amount.matches("[1-9][0-9]{0,77}")) {
            throw new UsageException("--amount must be a positive whole number of base units (wei for ETH), e.g. "
                    + "1000000000000000000 for 1 ETH");
        }
        TxRequestInfo r = api().createTxRequest(walletId, asset, to, amount, cl.option("--note", null));
        print(r.toJson(), "transaction request " + r.id() + " (" + r.status() + "): " + amountText(r) + " to "
                + shown(r.to()) + "\nfollow it with `wallet status " + r.id() + "`");
    }

    void status() {
        TxRequestInfo r = api().getTxRequest(cl.arg(0));
        print(r.toJson(), describeTxRequest(r));
    }

    void transfers() {
        String walletId = cl.arg(0);
        String status = cl.option("--status", null);
        List<TxRequestInfo> list = api().listTxRequests(walletId, status == null ? null
                : status.toUpperCase(Locale.ROOT));
        ObjectNode n = Json.object().put("walletId", walletId);
        ArrayNode arr = n.putArray("txRequests");
        StringBuilder text = new StringBuilder();
        for (TxRequestInfo r : list) {
            arr.add(r.toJson());
            text.append(String.format("%s  %-19s %s to %s%s%n", r.id(), r.status(), amountText(r), shown(r.to()),
                    r.txHash() == null ? "" : "  tx " + r.txHash()));
        }
        print(n, list.isEmpty() ? "no transaction requests" : text.toString().stripTrailing());
    }

    /** {@code approve}: an APPROVER's vote (never the creator's; one vote per user). */
    void approve() {
        boolean reject = cl.flag("--reject");
        TxRequestInfo r = api().voteTxRequest(cl.arg(0), reject ? "REJECT" : "APPROVE", cl.option("--comment", null));
        print(r.toJson(), (reject ? "rejected" : "approved") + " request " + r.id() + "; it is now " + r.status()
                + " (" + r.approvals() + " of " + r.requiredApprovals() + " approvals)");
    }

    void balances() {
        Balances b = api().balances(cl.arg(0));
        ObjectNode n = Json.object().put("walletId", b.walletId()).put("address", b.address());
        ArrayNode arr = n.putArray("balances");
        StringBuilder text = new StringBuilder("wallet " + b.walletId() + " (" + b.address() + ")");
        for (Balances.Balance x : b.balances()) {
            arr.addObject().put("asset", x.asset()).put("amount", x.amount()).put("decimals", x.decimals())
                    .put("token", x.token());
            text.append(String.format("%n  %-8s %s%s", x.asset(), units(x.amount(), x.decimals()),
                    x.token() == null ? "" : "  (token " + x.token() + ")"));
        }
        if (b.balances().isEmpty()) {
            text.append("\n  no balances");
        }
        print(n, text.toString());
    }

    void deposits() {
        String walletId = cl.arg(0);
        List<Deposit> list = api().deposits(walletId);
        ObjectNode n = Json.object().put("walletId", walletId);
        ArrayNode arr = n.putArray("deposits");
        StringBuilder text = new StringBuilder();
        for (Deposit d : list) {
            arr.addObject().put("id", d.id()).put("txHash", d.txHash()).put("logIndex", d.logIndex())
                    .put("asset", d.asset()).put("token", d.token()).put("from", d.from()).put("amount", d.amount())
                    .put("blockNumber", d.blockNumber()).put("kytVerdict", d.kytVerdict())
                    .put("kytCaseId", d.kytCaseId()).put("status", d.status()).put("createdAt", d.createdAt());
            text.append(String.format("%s  %-10s %s %s from %s  block %s  tx %s  KYT %s%n", d.id(), d.status(),
                    d.amount(), d.asset(), d.from(), d.blockNumber(), d.txHash(), d.kytVerdict()));
        }
        print(n, list.isEmpty() ? "no deposits" : text.toString().stripTrailing());
    }
}
