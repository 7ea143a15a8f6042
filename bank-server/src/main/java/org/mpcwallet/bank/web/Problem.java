package org.mpcwallet.bank.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 7807 problem document ({@code application/problem+json}) plus the request's correlation id.
 * {@code detail} never carries exception messages of server-side failures.
 */
@Serdeable
public record Problem(String type, String title, int status, @Nullable String detail, @Nullable String instance,
                      String correlationId) {
}
