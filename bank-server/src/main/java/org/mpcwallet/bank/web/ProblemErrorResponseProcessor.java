package org.mpcwallet.bank.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders every error response as RFC 7807 {@code application/problem+json}. Server errors (5xx) get a fixed
 * detail; the cause is in the log (under the correlation id), never on the wire. Client errors (4xx) keep
 * Micronaut's message about the request (e.g. which argument is missing), cut to 200 characters, except the JSON
 * parser's, which is replaced by a fixed text.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {
    private final JsonMapper json;

    ProblemErrorResponseProcessor(JsonMapper json) {
        this.json = json;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        HttpStatus httpStatus = HttpStatus.valueOf(status);
        String title = response.reason() != null && !response.reason().isBlank() ? response.reason()
                : httpStatus.getReason();
        String detail;
        if (status >= 500) {
            detail = "The server could not complete the request; quote the correlation id to support.";
        } else {
            detail = context.getErrors().stream().map(Error::getMessage).filter(m -> m != null && !m.isBlank())
                    .findFirst().map(m -> m.length() > 200 ? m.substring(0, 200) : m).orElse(null);
            if (detail != null && detail.startsWith("Invalid JSON")) {
                // the parser's message names parser internals (features, source positions): keep it in the log
                detail = "The request body is not valid JSON.";
            }
        }
        Problem problem = new Problem("about:blank", title, status, detail, context.getRequest().getPath(),
                CorrelationIdFilter.correlationId(context.getRequest()));
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                .contentLength(body.length)
                .body(body);
    }
}
