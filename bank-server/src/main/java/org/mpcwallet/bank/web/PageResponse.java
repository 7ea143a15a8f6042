package org.mpcwallet.bank.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.function.Function;
import org.mpcwallet.bank.paging.Page;

/**
 * Every list's answer (docs/integration.md "Pagination"): {@code items}, and while {@code has_more},
 * {@code next_cursor} to pass as {@code ?cursor=} for the next page.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PageResponse<T>(List<T> items, @JsonProperty("next_cursor") @Nullable String nextCursor,
                              @JsonProperty("has_more") boolean hasMore) {

    public static <S, T> PageResponse<T> of(Page<S> p, Function<S, T> f) {
        return new PageResponse<>(p.items().stream().map(f).toList(), p.nextCursor(), p.hasMore());
    }
}
