package org.mpcwallet.bank.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** Test-only: an endpoint whose failure message must not reach the client. */
@Requires(env = "test")
@Secured(SecurityRule.IS_ANONYMOUS)
@Controller("/test-only/fail")
class FailingTestController {

    @Get
    String fail() {
        throw new IllegalStateException("internal detail: jdbc:postgresql://db.internal:5432/bank table=wallets");
    }
}
