package io.granary.core.domain;

import io.granary.spi.Environment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A provider credential attached to a Leaf user.
 *
 * @param fields             the provider's field values by name, secrets included (plaintext in memory only)
 * @param accessExpiresAt    when the current access token or session expires; null if unknown or never
 * @param nextRefreshAt      when the scheduler should next refresh or retry it; null when it should not (INVALID)
 * @param failureCount       consecutive temporary failures, for backoff
 * @param version            optimistic-concurrency version, bumped by every write
 */
public record Credential(UUID id, UUID ownerId, UUID leafUserId, String providerId, Environment environment,
                         Map<String, String> fields, CredentialStatus status, String statusMessage,
                         Instant createdAt, Instant updatedAt, Instant accessExpiresAt, List<String> scopes,
                         Instant nextRefreshAt, int failureCount, long version) {

    public Credential {
        fields = Map.copyOf(fields);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public String field(String name) {
        return fields.get(name);
    }
}
