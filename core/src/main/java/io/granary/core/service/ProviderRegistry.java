package io.granary.core.service;

import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The providers found at start-up, with their endpoints resolved against configuration. Loading fails
 * loudly, naming the culprit and the jar it came from: no providers, a duplicate id or suffix, an invalid
 * descriptor or URL override, a consent grant without a client-id field.
 */
public final class ProviderRegistry {

    private final Map<String, FoundProvider> byId = new LinkedHashMap<>();
    private final Map<String, FoundProvider> bySuffix = new LinkedHashMap<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    private ProviderRegistry(List<FoundProvider> candidates, Function<String, String> settings) {
        candidates = candidates.stream().filter(p -> enabled(p.adapter(), settings)).toList();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no providers found: put at least one provider jar (io.granary.spi.ProviderAdapter) on the class or module path");
        }
        for (FoundProvider candidate : candidates) {
            ProviderAdapter adapter = candidate.adapter();
            String origin = candidate.describe();
            ProviderDescriptor descriptor;
            try {
                descriptor = adapter.descriptor().validate();
                if (adapter.authorizationCodeGrant().isPresent() && descriptor.clientIdField().isEmpty()) {
                    throw new IllegalArgumentException("it offers the authorization-code grant but marks no client-id field (CredentialField.asClientId())");
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("provider " + origin + " is invalid: " + e.getMessage(), e);
            }
            FoundProvider clash = byId.putIfAbsent(descriptor.id(), candidate);
            if (clash != null) {
                throw new IllegalStateException("two providers share the id '" + descriptor.id() + "': " + clash.describe() + " and " + origin);
            }
            clash = bySuffix.putIfAbsent(descriptor.endpointSuffix(), candidate);
            if (clash != null) {
                throw new IllegalStateException("two providers share the endpoint suffix '" + descriptor.endpointSuffix() + "': " + clash.describe() + " and " + origin);
            }
            for (ProviderEndpoint endpoint : descriptor.endpoints()) {
                String setting = descriptor.endpointSetting(endpoint.kind(), endpoint.environment());
                String override = settings.apply(setting);
                String url = override == null || override.isBlank() ? endpoint.defaultUrl() : override.trim();
                checkUrl(setting, url);
                endpoints.put(setting, url);
            }
        }
    }

    /** The built-in providers: found with {@link java.util.ServiceLoader} on the class path and module path. */
    public static ProviderRegistry load(Function<String, String> settings) {
        return load(settings, null);
    }

    /**
     * The built-in providers and those of every jar in {@code pluginsDir} (none if null or missing); see
     * {@link PluginLoader}. A plugin whose id or suffix is taken stops the load with a message naming its jar.
     */
    public static ProviderRegistry load(Function<String, String> settings, Path pluginsDir) {
        List<FoundProvider> candidates = new ArrayList<>(PluginLoader.builtIn());
        candidates.addAll(PluginLoader.fromDirectory(pluginsDir));
        return new ProviderRegistry(candidates, settings);
    }

    /** These providers, all counted as built in (tests, embedders that construct providers themselves). */
    public static ProviderRegistry of(List<ProviderAdapter> adapters, Function<String, String> settings) {
        return new ProviderRegistry(adapters.stream().map(FoundProvider::builtIn).toList(), settings);
    }

    /** Where the provider with this id came from: {@value FoundProvider#BUILT_IN} or its plugin jar's file name. */
    public Optional<String> origin(String id) {
        return Optional.ofNullable(byId.get(id)).map(FoundProvider::origin);
    }

    /** Every loaded provider's origin by id, in load order. */
    public Map<String, String> origins() {
        Map<String, String> origins = new LinkedHashMap<>();
        byId.forEach((id, provider) -> origins.put(id, provider.origin()));
        return Collections.unmodifiableMap(origins);
    }

    public List<ProviderDescriptor> descriptors() {
        return byId.values().stream().map(p -> p.adapter().descriptor()).toList();
    }

    public Optional<ProviderAdapter> bySuffix(String suffix) {
        return Optional.ofNullable(bySuffix.get(suffix)).map(FoundProvider::adapter);
    }

    public Optional<ProviderAdapter> byId(String id) {
        return Optional.ofNullable(byId.get(id)).map(FoundProvider::adapter);
    }

    /** The resolved URL, or empty if the provider declares none for that environment. */
    public Optional<String> endpoint(ProviderDescriptor descriptor, EndpointKind kind, Environment environment) {
        return Optional.ofNullable(endpoints.get(descriptor.endpointSetting(kind, environment)));
    }

    /** Every endpoint setting with its resolved value, for the README and start-up log. */
    public Map<String, String> endpointSettings() {
        return Collections.unmodifiableMap(endpoints);
    }

    /** A provider naming an enabling setting loads only when that setting is true; the rest always load. */
    private static boolean enabled(ProviderAdapter adapter, Function<String, String> settings) {
        String setting = adapter.enablingSetting();
        if (setting == null) {
            return true;
        }
        String value = settings.apply(setting);
        return value != null && switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            default -> false;
        };
    }

    /** The provider whose {@link ProviderDescriptor#slug() slug} or id (case-insensitive) is given. */
    public Optional<ProviderAdapter> bySlugOrId(String name) {
        return byId.values().stream().map(FoundProvider::adapter)
                .filter(a -> a.descriptor().slug().equals(name) || a.descriptor().id().equalsIgnoreCase(name))
                .findFirst();
    }

    private static void checkUrl(String setting, String url) {
        try {
            URI uri = new URI(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalStateException(setting + " must be an absolute http(s) URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(setting + " is not a valid URL", e);
        }
    }
}
