package io.granary.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Secrets a provider just handed out, to be stored together.
 *
 * @param fields          field values to overwrite (e.g. {@code accessToken}, {@code refreshToken}); absent fields keep their value
 * @param expiresAt       when the access token or session stops working, or null if it does not expire
 * @param scopes          scopes granted, or empty if the provider did not say
 */
public record TokenUpdate(Map<String, String> fields, Instant expiresAt, List<String> scopes) {

    public TokenUpdate {
        fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
