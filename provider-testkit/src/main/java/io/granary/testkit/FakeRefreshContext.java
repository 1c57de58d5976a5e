package io.granary.testkit;

import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderOrganization;
import io.granary.spi.RefreshContext;
import io.granary.spi.RevokeContext;
import io.granary.spi.TokenUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hand-written {@link RefreshContext} (and {@link RevokeContext}) for provider tests: fields in a map, endpoints pointed wherever the
 * test likes (usually a MockWebServer), saved token updates collected for assertions.
 */
public final class FakeRefreshContext implements RefreshContext, RevokeContext {

    private final Environment environment;
    private final Map<String, String> fields = new HashMap<>();
    private final Map<EndpointKind, String> endpoints = new EnumMap<>(EndpointKind.class);
    private final ProviderHttp http;
    private final Instant now;
    private final List<TokenUpdate> saved = new ArrayList<>();
    private List<ProviderOrganization> organizations;

    public FakeRefreshContext(Environment environment, ProviderHttp http, Instant now) {
        this.environment = environment;
        this.http = http;
        this.now = now;
    }

    public FakeRefreshContext field(String name, String value) {
        fields.put(name, value);
        return this;
    }

    public FakeRefreshContext endpoint(EndpointKind kind, String url) {
        endpoints.put(kind, url);
        return this;
    }

    /** Every update the provider saved, in order. */
    public List<TokenUpdate> saved() {
        return saved;
    }

    /** The organizations the provider last reported, or null if it never reported any. */
    public List<ProviderOrganization> organizations() {
        return organizations;
    }

    @Override
    public void organizationsSeen(List<ProviderOrganization> seen) {
        organizations = List.copyOf(seen);
    }

    /** The current value of a field after saved updates were applied. */
    public String current(String name) {
        return fields.get(name);
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name)).filter(v -> !v.isBlank());
    }

    @Override
    public String endpoint(EndpointKind kind) {
        String url = endpoints.get(kind);
        if (url == null) {
            throw new IllegalStateException("test did not set " + kind);
        }
        return url;
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
        saved.add(update);
        fields.putAll(update.fields());
    }
}
