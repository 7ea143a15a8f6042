package org.mpcwallet.bank.web.openapi;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.mpcwallet.bank.web.Problem;

/**
 * The errors of the REST API in its OpenAPI document (docs/integration.md "Errors"): every refusal is an
 * {@code application/problem+json} {@link Problem} whose {@code detail} says what failed, with the request's
 * correlation id. Put on a controller, the answers below are described for each of its operations.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@ApiResponse(responseCode = "400", description = "Malformed request or a refused value; detail names the field "
        + "and the rule.", content = @Content(mediaType = "application/problem+json",
        schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "401", description = "No valid access token or signed request (a refused signed request "
        + "names the check that failed).", content = @Content(mediaType = "application/problem+json",
        schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "403", description = "The caller is known but lacks the bank or wallet role.",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "404", description = "No such resource, or one the caller may not see.",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "409", description = "The resource's state does not allow this now (detail says why), "
        + "or the first request with this Idempotency-Key is still running.", content = @Content(mediaType =
        "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "422", description = "This Idempotency-Key was used with another body.",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "429", description = "Over a rate limit; wait Retry-After seconds.",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "500", description = "The bank failed; nothing of the failure is in the answer, the "
        + "correlation id finds it in the bank's log.", content = @Content(mediaType = "application/problem+json",
        schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "A dependency (the chain node, the signer) does not answer; try "
        + "again later.", content = @Content(mediaType = "application/problem+json",
        schema = @Schema(implementation = Problem.class)))
public @interface ProblemResponses {
}
