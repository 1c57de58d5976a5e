package io.granary.core.service;

import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The providers found at start-up, with their endpoints resolved against configuration. Loading fails
 * loudly, naming the culprit: no providers, a duplicate id or suffix, an invalid descriptor or URL override.
 */
public final class ProviderRegistry {

    private final Map<String, ProviderAdapter> byId = new LinkedHashMap<>();
    private final Map<String, ProviderAdapter> bySuffix = new LinkedHashMap<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    private ProviderRegistry(List<ProviderAdapter> adapters, Function<String, String> settings) {
        adapters = adapters.stream().filter(a -> enabled(a, settings)).toList();
        if (adapters.isEmpty()) {
            throw new IllegalStateException("no providers found: put at least one provider jar (io.granary.spi.ProviderAdapter) on the class or module path");
        }
        for (ProviderAdapter adapter : adapters) {
            String origin = adapter.getClass().getName();
            ProviderDescriptor descriptor;
            try {
                descriptor = adapter.descriptor().validate();
            } catch (RuntimeException e) {
                throw new IllegalStateException("provider " + origin + " is invalid: " + e.getMessage(), e);
            }
            ProviderAdapter clash = byId.putIfAbsent(descriptor.id(), adapter);
            if (clash != null) {
                throw new IllegalStateException("two providers share the id '" + descriptor.id() + "': " + clash.getClass().getName() + " and " + origin);
            }
            clash = bySuffix.putIfAbsent(descriptor.endpointSuffix(), adapter);
            if (clash != null) {
                throw new IllegalStateException("two providers share the endpoint suffix '" + descriptor.endpointSuffix() + "': " + clash.getClass().getName() + " and " + origin);
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

    /** Finds providers with {@link ServiceLoader} on the class path and module path. */
    public static ProviderRegistry load(Function<String, String> settings) {
        List<ProviderAdapter> adapters = new ArrayList<>();
        ServiceLoader.load(ProviderAdapter.class).forEach(adapters::add);
        return of(adapters, settings);
    }

    public static ProviderRegistry of(List<ProviderAdapter> adapters, Function<String, String> settings) {
        return new ProviderRegistry(adapters, settings);
    }

    public List<ProviderDescriptor> descriptors() {
        return byId.values().stream().map(ProviderAdapter::descriptor).toList();
    }

    public Optional<ProviderAdapter> bySuffix(String suffix) {
        return Optional.ofNullable(bySuffix.get(suffix));
    }

    public Optional<ProviderAdapter> byId(String id) {
        return Optional.ofNullable(byId.get(id));
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
        return byId.values().stream()
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
