package io.maestro.metering.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's registered endpoint as listed (never with its secrets).
 *
 * @param previousSecretUntil while a rotation overlaps, when the previous secret stops signing
 */
public record WebhookEndpoint(
    String id,
    String url,
    List<String> eventTypes,
    Instant createdAt,
    Optional<Instant> previousSecretUntil) {}
