package io.granary.core.service;

import io.granary.core.port.in.InvalidInputException;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderHttp;
import io.granary.spi.RefreshContext;
import io.granary.spi.RevokeContext;
import io.granary.spi.TokenUpdate;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RefreshContext} over an app's client fields, for a code exchange before any credential exists, and a
 * {@link RevokeContext} over a deleted credential's fields.
 * Saving is refused: the caller stores the tokens through the normal attach path.
 */
final class ClientContext implements RefreshContext, RevokeContext {

    private final ProviderRegistry providers;
    private final ProviderDescriptor descriptor;
    private final Environment environment;
    private final Map<String, String> fields;
    private final ProviderHttp http;
    private final Instant now;

    ClientContext(ProviderRegistry providers, ProviderDescriptor descriptor, Environment environment,
                  Map<String, String> fields, ProviderHttp http, Instant now) {
        this.providers = providers;
        this.descriptor = descriptor;
        this.environment = environment;
        this.fields = Map.copyOf(fields);
        this.http = http;
        this.now = now;
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name)).filter(v -> !v.isBlank());
    }

    /** A field the provider needs for its token request is the caller's to send: a 400, not a 500. */
    @Override
    public String requiredField(String name) {
        return field(name).orElseThrow(() -> new InvalidInputException(name, "'" + name + "' is required for "
                + descriptor.displayName()));
    }

    @Override
    public String endpoint(EndpointKind kind) {
        return providers.endpoint(descriptor, kind, environment).orElseThrow(() -> new InvalidInputException(
                null, descriptor.displayName() + " has no " + kind + " for " + environment));
    }

    @Override
    public ProviderHttp http() {
        return http;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public void saveTokens(TokenUpdate update) {
        throw new UnsupportedOperationException("a code exchange saves nothing itself");
    }
}
