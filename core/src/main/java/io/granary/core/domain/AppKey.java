package io.granary.core.domain;

import io.granary.spi.Environment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An API owner's own application at a provider (Leaf's "app key"): the client id and secret Granary uses when it
 * runs a grower's consent flow. {@code fields} hold plaintext in memory only; storage seals them.
 *
 * @param fields provider field names ({@code clientKey}, {@code clientSecret}, ...) plus {@code applicationName}
 */
public record AppKey(UUID ownerId, String providerId, String appName, Environment environment,
                     Map<String, String> fields, List<String> scopes, Instant createdAt, Instant updatedAt) {

    public AppKey {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(environment, "environment");
        fields = Map.copyOf(fields);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** Never prints the fields: a record's default toString would put the client secret in a log line. */
    @Override
    public String toString() {
        return "AppKey[" + providerId + "/" + appName + "/" + environment + "]";
    }
}
