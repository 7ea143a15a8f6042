package org.mpcwallet.bank.integration.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A row of {@code webhook_signing_keys} (V21): the public half (SPKI DER) of one of the bank's webhook signing keys;
 * {@code retiredAt} set once another key replaced it.
 */
@MappedEntity("webhook_signing_keys")
public record WebhookSigningKeyRow(@Id String kid, byte[] publicKey, Instant createdAt, @Nullable Instant retiredAt) {
}
