package org.mpcwallet.bank.chain;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;

/**
 * Sends a signed raw transaction with {@code eth_sendRawTransaction} and classifies the node's answer, so that the
 * pipeline knows whether the transaction is out ({@link BroadcastResult#isSent()}), may be retried with the same
 * bytes ({@link BroadcastResult.Transient}) or never will be accepted ({@link BroadcastResult.Permanent}).
 * Sending is idempotent by hash: the bytes are checked against the expected hash before anything is sent, so any
 * "already known" answer is about our own transaction.
 *
 * <p>Node error messages differ between clients (geth, Erigon, Besu, Nethermind, anvil, hosted providers); they
 * are matched case-insensitively after removing everything but letters ({@code NONCE_TOO_LOW}, {@code OldNonce},
 * "nonce too low" all become {@code noncetoolow}). The rules, first match wins:
 *
 * <table>
 * <caption>Classification of {@code eth_sendRawTransaction} outcomes</caption>
 * <tr><th>#</th><th>what happened</th><th>result</th></tr>
 * <tr><td>1</td><td>the raw bytes are not hex, or do not hash (Keccak-256) to the expected hash</td>
 *     <td>Permanent, nothing sent</td></tr>
 * <tr><td>2</td><td>the node returns our hash</td><td>Accepted</td></tr>
 * <tr><td>3</td><td>the node returns a different hash</td><td>Permanent (node and bytes disagree)</td></tr>
 * <tr><td>4</td><td>I/O: connection refused/reset, timeout, DNS</td><td>Transient</td></tr>
 * <tr><td>5</td><td>HTTP 5xx or 429</td><td>Transient</td></tr>
 * <tr><td>6</td><td>any other HTTP status (401, 403, 404: endpoint or credentials misconfigured; the transaction
 *     was never judged)</td><td>Transient</td></tr>
 * <tr><td>7</td><td>an unparseable answer</td><td>Transient (the bytes may be re-sent: idempotent by hash)</td></tr>
 * <tr><td>8</td><td>"already known", "known transaction", "already imported", "already in pool"</td>
 *     <td>AlreadyKnown</td></tr>
 * <tr><td>9</td><td>"nonce too low", "old nonce", "replacement transaction underpriced", "replacement fee too
 *     low": the nonce is taken. Our hash is then looked up ({@code eth_getTransactionByHash}): known (pool or chain)
 *     → AlreadyKnown; unknown → Permanent (another transaction used the nonce); lookup failed → Transient</td>
 *     <td>AlreadyKnown / Permanent / Transient</td></tr>
 * <tr><td>10</td><td>JSON-RPC code -32005 (EIP-1474 limit exceeded), "rate limit", "too many requests", "limit
 *     exceeded", "try again", "timeout", "timed out", "busy", "overloaded", "unavailable", "txpool is full",
 *     "header not found", "nonce too high" (an earlier nonce not yet seen by this node)</td><td>Transient</td></tr>
 * <tr><td>11</td><td>"insufficient funds", "intrinsic gas too low", "gas limit", "fee cap less than (block) base
 *     fee", "max fee per gas less than block base fee", "transaction underpriced", "tip above fee cap", "max
 *     priority fee per gas higher than max fee per gas", "exceeds the configured cap" (fee cap), "oversized",
 *     "invalid" (sender, signature, chain id, transaction), "chain id", "decode", "rlp", "not supported"</td>
 *     <td>Permanent</td></tr>
 * <tr><td>12</td><td>any other JSON-RPC error</td><td>Transient ("unclassified"; the pipeline bounds attempts)
 *     </td></tr>
 * </table>
 */
public final class Broadcaster {
    private static final Pattern RAW_HEX = Pattern.compile("0x([0-9a-fA-F]{2})+");

    private static final List<String> ALREADY_KNOWN = List.of(
            "alreadyknown", "knowntransaction", "alreadyimported", "alreadyinpool", "alreadyinmempool");
    private static final List<String> NONCE_TAKEN = List.of(
            "noncetoolow", "oldnonce", "replacementtransactionunderpriced", "replacementunderpriced",
            "replacementfeetoolow");
    private static final List<String> TRANSIENT = List.of(
            "ratelimit", "toomanyrequests", "limitexceeded", "tryagain", "timeout", "timedout", "busy",
            "overloaded", "unavailable", "poolisfull", "txpoolfull", "headernotfound", "noncetoohigh");
    private static final List<String> PERMANENT = List.of(
            "insufficientfunds", "intrinsicgastoolow", "gaslimit", "feecaplessthan", "lessthanblockbasefee",
            "lessthanbasefee", "transactionunderpriced", "underpriced", "tipabovefeecap",
            "maxpriorityfeepergashigherthanmaxfeepergas", "exceedstheconfiguredcap", "oversized", "invalid",
            "chainid", "decode", "rlp", "notsupported");

    private final EthNode node;

    public Broadcaster(EthNode node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    /**
     * Sends {@code rawTxHex} (0x-hex of the signed transaction as broadcast: {@code 0x02 ‖ rlp(…)} or the legacy
     * RLP list) whose Keccak-256 must be {@code expectedHash}.
     */
    public BroadcastResult send(String rawTxHex, String expectedHash) {
        Objects.requireNonNull(rawTxHex, "rawTxHex");
        Objects.requireNonNull(expectedHash, "expectedHash");
        if (!RAW_HEX.matcher(rawTxHex).matches()) {
            return new BroadcastResult.Permanent("raw transaction is not 0x-prefixed hex of whole bytes");
        }
        String ours;
        try {
            ours = EthNode.hash(expectedHash);
        } catch (IllegalArgumentException e) {
            return new BroadcastResult.Permanent("expected hash is not a 32-byte hex hash");
        }
        String actual = Hash.sha3(rawTxHex).toLowerCase(Locale.ROOT);
        if (!actual.equals(ours)) {
            return new BroadcastResult.Permanent("raw transaction hashes to " + actual + ", not the expected " + ours
                    + "; not sent");
        }
        return switch (node.sendRawTransaction(rawTxHex.toLowerCase(Locale.ROOT))) {
            case ChainResult.Ok<String> ok -> ok.value().equals(ours)
                    ? new BroadcastResult.Accepted(ours)
                    : new BroadcastResult.Permanent("node reports hash " + ok.value() + " for our transaction "
                    + ours);
            case ChainResult.Failed<String> failed -> classify(failed.failure(), ours);
        };
    }

    private BroadcastResult classify(ChainFailure failure, String ours) {
        switch (failure.kind()) {
            case IO, HTTP_STATUS -> {
                return new BroadcastResult.Transient(failure.toString());
            }
            case BAD_RESPONSE -> {
                return new BroadcastResult.Transient(failure + " (the transaction may or may not be in the pool)");
            }
            case NODE_ERROR -> {
                // handled below
            }
        }
        return switch (category(failure)) {
            case ALREADY_KNOWN -> new BroadcastResult.AlreadyKnown(ours);
            case NONCE_TAKEN -> switch (node.transaction(ours)) {
                case ChainResult.Ok<Optional<ChainTransaction>> ok when ok.value().isPresent() ->
                        new BroadcastResult.AlreadyKnown(ours);
                case ChainResult.Ok<Optional<ChainTransaction>> ok -> new BroadcastResult.Permanent(
                        "the nonce is already used by another transaction (node: " + failure.message() + ")");
                case ChainResult.Failed<Optional<ChainTransaction>> lookup -> new BroadcastResult.Transient(
                        "node answered '" + failure.message() + "' and looking up our hash failed: "
                                + lookup.failure());
            };
            case TRANSIENT -> new BroadcastResult.Transient(failure.toString());
            case PERMANENT -> new BroadcastResult.Permanent(failure.toString());
            case UNCLASSIFIED -> new BroadcastResult.Transient("unclassified node error: " + failure);
        };
    }

    /** How a JSON-RPC error of {@code eth_sendRawTransaction} is read (rows 8 to 12 of the table). */
    enum Category { ALREADY_KNOWN, NONCE_TAKEN, TRANSIENT, PERMANENT, UNCLASSIFIED }

    static Category category(ChainFailure nodeError) {
        String text = compact(nodeError.message());
        if (matches(text, ALREADY_KNOWN)) {
            return Category.ALREADY_KNOWN;
        }
        if (matches(text, NONCE_TAKEN)) {
            return Category.NONCE_TAKEN;
        }
        if (nodeError.isTransient() || matches(text, TRANSIENT)) {
            return Category.TRANSIENT;
        }
        if (matches(text, PERMANENT)) {
            return Category.PERMANENT;
        }
        return Category.UNCLASSIFIED;
    }

    /** Lower-case letters only: "Nonce too low", NONCE_TOO_LOW and OldNonce compare alike. */
    static String compact(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c >= 'a' && c <= 'z') {
                sb.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                sb.append((char) (c + ('a' - 'A')));
            }
        }
        return sb.toString();
    }

    private static boolean matches(String compact, List<String> needles) {
        for (String needle : needles) {
            if (compact.contains(needle)) {
                return true;
            }
        }
        return false;
    }
}
