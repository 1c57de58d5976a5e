package io.granary.core.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One call made to a provider with a credential, secrets already redacted.
 *
 * @param statusCode the provider's HTTP status, or 0 when no answer came (timeout, refused connection)
 */
public record CredentialEvent(UUID id, UUID credentialId, Instant createdAt, String method, String url,
                              int statusCode, String headers, String body, long durationMillis) {
}
