package org.mpcwallet.bank.changes.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An operation that, while four eyes are required, answers 202 with the proposed change instead of applying it
 * (docs/admin-console.md "Four eyes"); described so in the OpenAPI document.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "202", description = "Proposed: it applies when a second ADMIN approves it (four eyes); "
        + "Location names the change.", content = @Content(mediaType = "application/json",
        schema = @Schema(implementation = ChangeResponse.class)))
public @interface ProposedUnderFourEyes {
}
