package io.granary.spi;

import java.net.URI;
import java.util.Objects;

/** A default provider URL for one environment. The host may override it from configuration. */
public record ProviderEndpoint(EndpointKind kind, Environment environment, String defaultUrl) {

    public ProviderEndpoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(defaultUrl, "defaultUrl");
        URI uri = URI.create(defaultUrl);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException(kind + " for " + environment + " must be an http(s) URL: " + defaultUrl);
        }
    }
}
