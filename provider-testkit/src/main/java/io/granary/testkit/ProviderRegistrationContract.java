package io.granary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the host checks when it loads a provider jar, checked at build time instead: the module registers exactly
 * these providers in {@code module-info} and in {@code META-INF/services}, {@link ServiceLoader} finds and
 * constructs each one, every descriptor is valid, no two share an id or endpoint suffix, and a provider that offers
 * the authorization-code grant marks its client-id field. A provider module's test extends this and names its classes.
 */
public abstract class ProviderRegistrationContract {

    /** Every provider class the module ships, no more and no fewer. */
    protected abstract List<Class<? extends ProviderAdapter>> providers();

    /** The module's compiled classes, holding {@code module-info.class}; Surefire runs in the module directory. */
    protected Path compiledClasses() {
        return Path.of("target", "classes");
    }

    @Test
    void moduleInfoAndServicesFile_registerExactlyTheseProviders() {
        ServiceRegistrationCheck.assertRegisteredAlike(compiledClasses(), ProviderAdapter.class, providers().toArray(Class<?>[]::new));
    }

    @Test
    void serviceLoader_constructsEachProvider_withAValidDescriptor() {
        Set<String> expected = providers().stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> loaded = new TreeSet<>();
        Map<String, String> ids = new HashMap<>();
        Map<String, String> suffixes = new HashMap<>();
        for (ProviderAdapter adapter : ServiceLoader.load(ProviderAdapter.class)) {
            String name = adapter.getClass().getName();
            if (!expected.contains(name)) {
                continue; // another module's provider on the test class path
            }
            loaded.add(name);
            ProviderDescriptor descriptor = adapter.descriptor().validate();
            assertNull(ids.put(descriptor.id().toLowerCase(java.util.Locale.ROOT), name), "two providers share the id " + descriptor.id());
            assertNull(suffixes.put(descriptor.endpointSuffix(), name), "two providers share the suffix " + descriptor.endpointSuffix());
        }
        assertEquals(expected, loaded, "ServiceLoader on the class path");
    }

    @Test
    void aConsentGrant_marksItsClientIdField() {
        for (Class<? extends ProviderAdapter> type : providers()) {
            ProviderAdapter adapter = ServiceLoader.load(ProviderAdapter.class).stream()
                    .filter(p -> p.type() == type).findFirst().orElseThrow().get();
            if (adapter.authorizationCodeGrant().isPresent()) {
                assertTrue(adapter.descriptor().clientIdField().isPresent(),
                        type.getName() + " offers the authorization-code grant: mark its client id with CredentialField.asClientId()");
            }
        }
    }
}
