package org.mpcwallet.bank.pipeline;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.util.function.Supplier;
import org.mpcwallet.bank.web.ApiCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ApiCalls#call}, plus: the node could not answer → 502 (the reason is logged, the problem detail is fixed). */
public final class ChainCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ChainCalls.class);

    private ChainCalls() {
    }

    public static <T> T call(Supplier<T> action) {
        try {
            return ApiCalls.call(action);
        } catch (ChainUnavailableException e) {
            LOG.warn("Ethereum node unavailable: {}", e.getMessage());
            throw new HttpStatusException(HttpStatus.BAD_GATEWAY, "The Ethereum node did not answer.");
        }
    }
}
