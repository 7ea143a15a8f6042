package org.mpcwallet.bank.integration.api;

import static org.mpcwallet.bank.web.ApiCalls.call;
import static org.mpcwallet.bank.web.ApiCalls.caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import org.mpcwallet.bank.integration.app.WebhookSigningKey;
import org.mpcwallet.bank.integration.app.Webhooks;
import org.mpcwallet.bank.integration.domain.WebhookEvents;
import org.mpcwallet.bank.integration.persistence.WebhookDeliveryLogRepository;
import org.mpcwallet.bank.integration.persistence.WebhookSubscriptionRepository;
import org.mpcwallet.bank.web.PageResponse;

/**
 * {@code /v1/webhooks} (docs/integration.md "Webhooks"): subscriptions of API clients (their own) and ADMINs (any
 * client's), the delivery log, redelivery, and the bank's signing keys (public).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Webhooks", description = "Subscriptions, deliveries and the signing keys.")
@org.mpcwallet.bank.web.openapi.ProblemResponses
@Controller("/v1/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
class WebhookController {

    @Serdeable
    record SubscribeRequest(@Nullable String clientId, @Nullable String url, @Nullable List<String> eventTypes,
                            @Nullable String description) {
    }

    @Serdeable
    record RedeliverRequest(@Nullable String since) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SubscriptionResponse(String id, String clientId, String url, List<String> eventTypes,
                                @Nullable String description, String createdAt, boolean enabled,
                                @Nullable String disabledAt, @Nullable String disabledReason,
                                @Nullable String failingSince) {
        static SubscriptionResponse of(WebhookSubscriptionRepository.Subscription s) {
            return new SubscriptionResponse(s.id().toString(), s.clientId().toString(), s.url(), s.eventTypes(),
                    s.description(), s.createdAt().toString(), s.disabledAt() == null, text(s.disabledAt()),
                    s.disabledReason(), text(s.failingSince()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DeliveryResponse(String eventId, String eventType, long auditSeq, String entity, String occurredAt,
                            String state, int attempts, @Nullable String nextAttemptAt, @Nullable Integer lastStatus,
                            @Nullable String lastError, @Nullable Integer lastLatencyMs,
                            @Nullable String deliveredAt) {
        static DeliveryResponse of(WebhookDeliveryLogRepository.Delivery d) {
            return new DeliveryResponse(d.eventId().toString(), d.eventType(), d.auditSeq(), d.entity(),
                    d.occurredAt().toString(), d.state(), d.attempts(), d.state().equals("PENDING")
                    ? d.nextAttemptAt().toString() : null, d.lastStatus(), d.lastError(), d.lastLatencyMs(),
                    text(d.deliveredAt()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AttemptResponse(int n, String startedAt, @Nullable Integer status, @Nullable String error,
                           int latencyMs) {
    }

    @Serdeable
    record DeliveryDetailResponse(DeliveryResponse delivery, List<AttemptResponse> attempts) {
        static DeliveryDetailResponse of(Webhooks.DeliveryDetail d) {
            return new DeliveryDetailResponse(DeliveryResponse.of(d.delivery()), d.attempts().stream().map(a ->
                    new AttemptResponse(a.n(), a.startedAt().toString(), a.status(), a.error(), a.latencyMs()))
                    .toList());
        }
    }

    @Serdeable
    record RedeliveredResponse(int deliveries) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SigningKeyResponse(String kid, String alg, String publicKey, String whpk, String createdAt,
                              @Nullable String retiredAt, String status) {
    }

    @Serdeable
    record SigningKeysResponse(List<SigningKeyResponse> keys, List<String> eventTypes) {
    }

    private final Webhooks webhooks;
    private final WebhookSigningKey signingKey;

    WebhookController(Webhooks webhooks, WebhookSigningKey signingKey) {
        this.webhooks = webhooks;
        this.signingKey = signingKey;
    }

    @io.micronaut.http.annotation.Status(io.micronaut.http.HttpStatus.CREATED)
    @Post
    HttpResponse<SubscriptionResponse> subscribe(@Body SubscribeRequest body, Authentication auth) {
        return HttpResponse.created(SubscriptionResponse.of(call(() -> webhooks.create(caller(auth),
                body.clientId(), body.url(), body.eventTypes(), body.description()))));
    }

    @Get("{?clientId,cursor,limit}")
    PageResponse<SubscriptionResponse> list(@Nullable @QueryValue String clientId, @Nullable @QueryValue String cursor,
                                            @Nullable @QueryValue Integer limit, Authentication auth) {
        return PageResponse.of(call(() -> webhooks.list(caller(auth), clientId, cursor, limit)),
                SubscriptionResponse::of);
    }

    /** The bank's public keys for webhook signatures, the current one first; no authentication needed. */
    @Get("/signing-keys")
    @Secured(SecurityRule.IS_ANONYMOUS)
    SigningKeysResponse signingKeys() {
        return new SigningKeysResponse(signingKey.published().stream().map(k -> new SigningKeyResponse(k.kid(),
                "Ed25519", WebhookSigningKey.pem(k.publicKey()), WebhookSigningKey.whpk(k.publicKey()),
                k.createdAt().toString(), text(k.retiredAt()), k.retiredAt() == null ? "current" : "retired"))
                .toList(), WebhookEvents.TYPES);
    }

    @Get("/{id}")
    SubscriptionResponse get(@PathVariable String id, Authentication auth) {
        return SubscriptionResponse.of(call(() -> webhooks.get(caller(auth), id)));
    }

    @Post("/{id}/disable")
    SubscriptionResponse disable(@PathVariable String id, Authentication auth) {
        return SubscriptionResponse.of(call(() -> webhooks.disable(caller(auth), id)));
    }

    @Post("/{id}/enable")
    SubscriptionResponse enable(@PathVariable String id, Authentication auth) {
        return SubscriptionResponse.of(call(() -> webhooks.enable(caller(auth), id)));
    }

    /** Filters: {@code state}; {@code createdFrom}/{@code createdTo}, the event's time (docs/integration.md). */
    @Get("/{id}/deliveries{?state,createdFrom,createdTo,cursor,limit}")
    PageResponse<DeliveryResponse> deliveries(@PathVariable String id, @Nullable @QueryValue String state,
                                              @Nullable @QueryValue String createdFrom,
                                              @Nullable @QueryValue String createdTo,
                                              @Nullable @QueryValue String cursor,
                                              @Nullable @QueryValue Integer limit, Authentication auth) {
        return PageResponse.of(call(() -> webhooks.deliveries(caller(auth), id, state, createdFrom, createdTo, cursor,
                limit)),
                DeliveryResponse::of);
    }

    @Get("/{id}/deliveries/{eventId}")
    DeliveryDetailResponse delivery(@PathVariable String id, @PathVariable String eventId, Authentication auth) {
        return DeliveryDetailResponse.of(call(() -> webhooks.delivery(caller(auth), id, eventId)));
    }

    @Post("/{id}/deliveries/{eventId}/redeliver")
    DeliveryDetailResponse redeliver(@PathVariable String id, @PathVariable String eventId, Authentication auth) {
        return DeliveryDetailResponse.of(call(() -> webhooks.redeliver(caller(auth), id, eventId)));
    }

    @Post("/{id}/redeliver")
    RedeliveredResponse redeliverSince(@PathVariable String id, @Body RedeliverRequest body, Authentication auth) {
        return new RedeliveredResponse(call(() -> webhooks.redeliverSince(caller(auth), id, body.since())));
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
