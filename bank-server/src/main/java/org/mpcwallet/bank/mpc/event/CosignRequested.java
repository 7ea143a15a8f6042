package org.mpcwallet.bank.mpc.event;

import java.util.UUID;

/**
 * A transfer waits for its wallet owner's co-signature (published by the pipeline after the sign request
 * committed); the channel tells the owner's connected devices ({@code cosign} frame). Best effort: devices also
 * find pending requests over REST.
 */
public record CosignRequested(UUID walletId, UUID txRequestId, UUID signRequestId) {
}
