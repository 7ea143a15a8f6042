package org.mpcwallet.bank.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list (docs/integration.md "Pagination"): the items, and when more follow, the opaque cursor that
 * continues after the last of them.
 */
public record Page<T>(List<T> items, String nextCursor, boolean hasMore) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page of {@code rows} read with one row more than {@code limit} (so whether more follow is known without a
     * count): at most {@code limit} items, the cursor of the last one when there are more.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null, false);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, cursorOf.apply(items.get(limit - 1)), true);
    }

    public <U> Page<U> map(Function<T, U> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor, hasMore);
    }
}
