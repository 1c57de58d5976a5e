package io.granary.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host knows when it sends a grower to a provider's consent page (RFC 6749 section 4.1.1).
 *
 * @param authorizeUrl  the provider's AUTHORIZE_URL for {@code environment}, after configuration overrides
 * @param clientId      the API owner's OAuth client id (from its app key)
 * @param redirectUri   where the provider sends the grower back; must match the app's registration exactly
 * @param state         single-use, unguessable, bound to the grower's browser by the host
 * @param codeChallenge BASE64URL(SHA-256(verifier)), or null when the host sends no PKCE
 * @param appFields     non-secret settings of the app key (e.g. Trimble's {@code applicationName})
 */
public record AuthorizationRequest(String authorizeUrl, Environment environment, String clientId, String redirectUri,
                                   String state, String codeChallenge, Map<String, String> appFields) {

    public AuthorizationRequest {
        Objects.requireNonNull(authorizeUrl, "authorizeUrl");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(state, "state");
        appFields = appFields == null ? Map.of() : Map.copyOf(appFields);
    }

    public Optional<String> appField(String name) {
        return Optional.ofNullable(appFields.get(name)).filter(v -> !v.isBlank());
    }
}
