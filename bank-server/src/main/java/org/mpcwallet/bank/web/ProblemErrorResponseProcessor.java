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
            detail = clientDetail(detail);
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

    private static final java.util.regex.Pattern CONVERT = java.util.regex.Pattern.compile(
            "Failed to convert argument \\[(\\w+)\\].*", java.util.regex.Pattern.DOTALL);
    private static final java.util.regex.Pattern REQUIRED = java.util.regex.Pattern.compile(
            "Required (\\w+) \\[(\\w+)\\] not specified");
    /** What marks a framework message that would show internals: Java types, packages, parser locations. */
    private static final java.util.regex.Pattern INTERNALS = java.util.regex.Pattern.compile(
            "(?s).*(\\bjava\\.|\\bio\\.micronaut|\\borg\\.mpcwallet|\\bclass |[Dd]eserializ|Exception|"
                    + "\\[Source:|StreamReadFeature|\\b[A-Z][a-z]+[A-Z][A-Za-z]*(Body|Request|Response)\\b).*");

    /**
     * A client error's detail as the client may see it (issue 10 §5: never a Java type): the service's own messages
     * pass; the framework's are rewritten to name the parameter and the rule.
     */
    static String clientDetail(String detail) {
        if (detail == null) {
            return null;
        }
        if (detail.startsWith("Invalid JSON")) {
            // the parser's message names parser internals (features, source positions): keep it in the log
            return "The request body is not valid JSON.";
        }
        java.util.regex.Matcher required = REQUIRED.matcher(detail);
        if (required.matches()) {
            return required.group(1).equals("Body") ? "The request needs a JSON body."
                    : "'" + required.group(2) + "' is required.";
        }
        java.util.regex.Matcher convert = CONVERT.matcher(detail);
        if (convert.matches()) {
            String arg = convert.group(1);
            return arg.length() <= 2 || arg.equals("body") ? "The request body does not have the expected fields and "
                    + "types." : "'" + arg + "' is not valid.";
        }
        if (INTERNALS.matcher(detail).matches()) {
            return "The request is not valid.";
        }
        return detail;
    }
}
