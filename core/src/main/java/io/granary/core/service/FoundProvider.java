package io.granary.core.service;

import io.granary.spi.ProviderAdapter;
import java.util.Objects;

/**
 * A provider and where it came from: {@value #BUILT_IN} (on the class or module path, shipped in granary.jar) or
 * the file name of the plugin jar that holds it. Start-up errors and the providers list name the origin.
 */
public record FoundProvider(ProviderAdapter adapter, String origin) {

    public static final String BUILT_IN = "built-in";

    public FoundProvider {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(origin, "origin");
    }

    public static FoundProvider builtIn(ProviderAdapter adapter) {
        return new FoundProvider(adapter, BUILT_IN);
    }

    /** {@code com.example.AcmeProvider (plugin acme.jar)} or {@code ... (built-in)}, for messages. */
    String describe() {
        return adapter.getClass().getName() + (BUILT_IN.equals(origin) ? " (built-in)" : " (plugin " + origin + ")");
    }
}
