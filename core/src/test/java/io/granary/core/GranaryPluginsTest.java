package io.granary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.testing.InMemoryStores;
import io.granary.core.testing.PluginJar;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class GranaryPluginsTest {

    @TempDir
    Path plugins;

    @Test
    void builder_withAPluginsDirectory_loadsItsJarsBesideTheBuiltInProviders() {
        PluginJar.write(plugins, "acme-provider-1.0.jar", "Acme", "acme-credentials");

        try (Granary granary = Granary.builder().storage(new InMemoryStores()).pluginsDirectory(plugins).build()) {
            assertEquals("acme-provider-1.0.jar", granary.providers().origin("Acme").orElseThrow());
            assertTrue(granary.providers().bySuffix("acme-credentials").isPresent());
        }
    }
}
