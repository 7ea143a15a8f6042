package org.mpcwallet.bank.metrics.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;

/**
 * {@code GET /prometheus} (docs/integration.md "Metrics"): the Prometheus text format, for a scraper with the
 * configured scrape token ({@code BANK_METRICS_SCRAPE_TOKEN}, role METRICS) or an ADMIN or OPERATOR.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Operations", description = "Health and metrics.")
@Controller("/prometheus")
@Secured({"METRICS", "ADMIN", "OPERATOR"})
class PrometheusController {
    private final PrometheusMeterRegistry registry;

    PrometheusController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get(produces = "text/plain; version=0.0.4; charset=utf-8")
    HttpResponse<String> scrape() {
        return HttpResponse.ok(registry.scrape());
    }
}
