package org.mpcwallet.bank.pipeline.kyt.app;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.mpcwallet.bank.pipeline.EthFormats;
import org.mpcwallet.bank.pipeline.kyt.domain.Direction;
import org.mpcwallet.bank.pipeline.kyt.domain.KytProvider;
import org.mpcwallet.bank.pipeline.kyt.domain.KytResult;

/**
 * The built-in KYT provider: two configured lists of addresses. An address on the blocked list is BLOCK, one on the
 * grey list REVIEW, anything else ALLOW, in both directions. An address on both lists is BLOCK (the stricter one
 * wins). Addresses are compared case-insensitively; every list entry must be {@code 0x} + 40 hex digits.
 *
 * <p>Lists are comma-separated; whitespace around an entry is ignored; a null or blank list is empty. An empty entry
 * ({@code "a,,b"}, a trailing comma) or a malformed one is a construction error naming the list and the entry's
 * 1-based position (and the entry itself, cut to 64 characters: list entries are not secret). Configuration names
 * ({@code KYT_BLACKLIST}, {@code KYT_GRAYLIST}) are mapped by the caller.
 */
public final class ListKytProvider implements KytProvider {
    /** The {@link KytResult#provider()} of this provider's answers. */
    public static final String NAME = "list";

    /** Lower-case address -> 1-based position in its list. */
    private final Map<String, Integer> blocked;
    private final Map<String, Integer> grey;

    /**
     * @param blockedList comma-separated addresses answered BLOCK (null or blank: none)
     * @param greyList    comma-separated addresses answered REVIEW (null or blank: none)
     * @throws IllegalArgumentException naming the list and position of the first empty or malformed entry
     */
    public ListKytProvider(String blockedList, String greyList) {
        this.blocked = parse("blocked", blockedList);
        this.grey = parse("grey", greyList);
    }

    /** How many distinct addresses are on the blocked list. */
    public int blockedCount() {
        return blocked.size();
    }

    /** How many distinct addresses are on the grey list. */
    public int greyCount() {
        return grey.size();
    }

    @Override
    public KytResult screen(String address, Direction direction) {
        if (direction == null) {
            return new KytResult(KytResult.Verdict.BLOCK, "direction missing", NAME);
        }
        if (!EthFormats.isAddress(address)) {
            return new KytResult(KytResult.Verdict.BLOCK, "not a 0x-prefixed 40-hex-digit address", NAME);
        }
        String a = address.toLowerCase(Locale.ROOT);
        Integer at = blocked.get(a);
        if (at != null) {
            return new KytResult(KytResult.Verdict.BLOCK,
                    direction + " address is on the KYT blocked list (entry " + at + ")", NAME);
        }
        at = grey.get(a);
        if (at != null) {
            return new KytResult(KytResult.Verdict.REVIEW,
                    direction + " address is on the KYT grey list (entry " + at + ")", NAME);
        }
        return new KytResult(KytResult.Verdict.ALLOW, direction + " address is on no KYT list", NAME);
    }

    private static Map<String, Integer> parse(String listName, String list) {
        Map<String, Integer> out = new HashMap<>();
        if (list == null || list.isBlank()) {
            return Map.copyOf(out);
        }
        String[] entries = list.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i].strip();
            int position = i + 1;
            if (e.isEmpty()) {
                throw new IllegalArgumentException("KYT " + listName + " list: entry " + position + " is empty");
            }
            if (!EthFormats.isAddress(e)) {
                String shown = e.length() > 64 ? e.substring(0, 64) + "..." : e;
                throw new IllegalArgumentException("KYT " + listName + " list: entry " + position
                        + " is not a 0x-prefixed 40-hex-digit address: '" + shown + "'");
            }
            out.putIfAbsent(e.toLowerCase(Locale.ROOT), position);
        }
        return Map.copyOf(out);
    }
}
