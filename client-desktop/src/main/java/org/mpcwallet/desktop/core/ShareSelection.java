package org.mpcwallet.desktop.core;

import java.util.ArrayList;
import java.util.List;
import org.mpcwallet.crypto.core.Bytes;
import org.mpcwallet.crypto.protocol.P2KeyShare;

/**
 * Which of a wallet's two share files is current after a refresh that may not have finished
 * (docs/client-desktop.md "Refresh"): {@code <walletId>.vault} (the share in use) and {@code <walletId>.vault.next}
 * (written before R4 left the device). The bank's key epoch ({@code GET /v1/wallets/{id}/mpc}) decides:
 * <ul>
 *   <li>no usable {@code .next} (none, or a different Q): the {@code .vault};</li>
 *   <li>the bank's epoch is the {@code .next}'s: the {@code .next} (the refresh completed at the bank; the caller
 *       renames it over the {@code .vault});</li>
 *   <li>the bank's epoch is another one: the {@code .vault} (the refresh did not complete; the {@code .next} stays
 *       unused and the next refresh replaces it);</li>
 *   <li>the bank does not report an epoch: both, {@code .vault} first; a {@code sign} with the wrong one is refused
 *       by the bank with {@code STALE_SHARE} before anything runs, then the caller tries the next candidate.</li>
 * </ul>
 * A pure decision, no I/O.
 */
public final class ShareSelection {
    private ShareSelection() {}

    public enum Source { VAULT, NEXT }

    /**
     * One share to try, the file it came from, and the presignature pool key of that file's envelope (null when not
     * known: then the co-signing is a SIGN).
     */
    public record Candidate(Source source, P2KeyShare share, byte[] poolKey) {
        public Candidate(Source source, P2KeyShare share) {
            this(source, share, null);
        }

        /** The same candidate with the pool key of its file. */
        public Candidate withPoolKey(byte[] key) {
            return new Candidate(source, share, key);
        }

        @Override
        public String toString() {
            return "Candidate[" + source + ", epoch " + share.epoch() + ", share and pool key redacted]";
        }
    }

    /**
     * The shares to try, in order.
     *
     * @param vault            the share of {@code .vault}, or null if there is none
     * @param next             the share of {@code .vault.next}, or null if there is none
     * @param bankPublicKeyHex the bank's public key (04 || x || y hex), or null if unknown
     * @param bankEpoch        the bank's key epoch, or null if unknown
     */
    public static List<Candidate> candidates(P2KeyShare vault, P2KeyShare next, String bankPublicKeyHex,
                                             Long bankEpoch) {
        boolean nextUsable = next != null
                && (vault == null || next.publicKey().equals(vault.publicKey()))
                && (bankPublicKeyHex == null || bankPublicKeyHex.equalsIgnoreCase(q(next)));
        List<Candidate> out = new ArrayList<>();
        if (!nextUsable) {
            if (vault != null) {
                out.add(new Candidate(Source.VAULT, vault));
            }
            return out;
        }
        if (bankEpoch != null) {
            if (bankEpoch == next.epoch() || vault == null) {
                out.add(new Candidate(Source.NEXT, next));
            } else {
                out.add(new Candidate(Source.VAULT, vault));
            }
            return out;
        }
        if (vault != null) {
            out.add(new Candidate(Source.VAULT, vault));
        }
        out.add(new Candidate(Source.NEXT, next));
        return out;
    }

    private static String q(P2KeyShare s) {
        return Bytes.toHex(s.publicKey().encodeUncompressed());
    }
}
