package org.mpcwallet.crypto.eth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An RLP list (Yellow Paper, Appendix B). Immutable: the item list is copied and unmodifiable. */
public record RlpList(List<RlpItem> items) implements RlpItem {
    /** The empty list, {@code 0xc0} (e.g. the empty EIP-2930 access list). */
    public static final RlpList EMPTY = new RlpList(new ArrayList<>());

    public RlpList {
        if (items == null) {
            throw new IllegalArgumentException("RLP list items must not be null");
        }
        ArrayList<RlpItem> copy = new ArrayList<>(items.size());
        for (RlpItem item : items) {
            if (item == null) {
                throw new IllegalArgumentException("RLP list must not contain null items");
            }
            copy.add(item);
        }
        items = Collections.unmodifiableList(copy);
    }

    public static RlpList of(RlpItem... items) {
        if (items == null) {
            throw new IllegalArgumentException("RLP list items must not be null");
        }
        ArrayList<RlpItem> list = new ArrayList<>(items.length);
        Collections.addAll(list, items);
        return new RlpList(list);
    }

    public int size() {
        return items.size();
    }

    public RlpItem get(int index) {
        return items.get(index);
    }
}
