package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.testing.PluginJar;
import io.granary.spi.ProviderAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginLoaderTest {

    @TempDir
    Path plugins;

    @Test
    void load_findsTheProviderOfEachJar_andSaysWhichJarItCameFrom() {
        PluginJar.write(plugins, "acme-provider-1.0.jar", "Acme", "acme-credentials");
        PluginJar.write(plugins, "zeta.jar", "Zeta", "zeta-credentials");

        ProviderRegistry registry = ProviderRegistry.load(k -> null, plugins);

        assertEquals(Map.of("Acme", "acme-provider-1.0.jar", "Zeta", "zeta.jar"), registry.origins());
        ProviderAdapter acme = registry.bySuffix("acme-credentials").orElseThrow();
        assertEquals("plugin.acme.Provider", acme.getClass().getName());
        // The plugin's class lives in its own loader, whose parent holds the SPI the host uses.
        assertTrue(acme.getClass().getClassLoader() != ProviderAdapter.class.getClassLoader());
        assertTrue(acme instanceof ProviderAdapter);
    }

    @Test
    void load_whenAPluginTakesAnIdInUse_stopsAndNamesBothJars() {
        PluginJar.write(plugins, "first.jar", "Acme", "acme-credentials");
        PluginJar.write(plugins, "second.jar", "Acme", "other-credentials");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.load(k -> null, plugins));

        assertEquals("two providers share the id 'Acme': plugin.acme.Provider (plugin first.jar) and plugin.acme.Provider (plugin second.jar)",
                e.getMessage());
    }

    @Test
    void load_whenAPluginTakesASuffixInUse_stopsAndNamesTheJar() {
        PluginJar.write(plugins, "a.jar", "Acme", "acme-credentials");
        PluginJar.write(plugins, "b.jar", "Other", "acme-credentials");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.load(k -> null, plugins));

        assertTrue(e.getMessage().contains("share the endpoint suffix 'acme-credentials'") && e.getMessage().contains("(plugin b.jar)"), e.getMessage());
    }

    @Test
    void load_whenAJarIsNotAJar_stopsAndNamesIt() throws IOException {
        Files.writeString(plugins.resolve("notes.jar"), "not a zip");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.load(k -> null, plugins));

        assertTrue(e.getMessage().startsWith("cannot load plugin notes.jar: not a readable jar"), e.getMessage());
    }

    @Test
    void load_whenAJarListsAClassItLacks_stopsAndNamesIt() {
        PluginJar.writeBroken(plugins, "broken.jar");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.load(k -> null, plugins));

        assertTrue(e.getMessage().startsWith("cannot load plugin broken.jar: ") && e.getMessage().contains("plugin.missing.Provider"), e.getMessage());
    }

    @Test
    void load_whenAJarProvidesNothing_stopsAndNamesIt() throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(plugins.resolve("empty.jar")))) {
            out.putNextEntry(new java.util.jar.JarEntry("README.txt"));
            out.closeEntry();
        }

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.load(k -> null, plugins));

        assertTrue(e.getMessage().startsWith("plugin empty.jar provides no provider"), e.getMessage());
    }

    @Test
    void load_ignoresFilesThatAreNotJars_andAMissingDirectory() throws IOException {
        PluginJar.write(plugins, "acme.jar", "Acme", "acme-credentials");
        Files.writeString(plugins.resolve("acme.jar.sha256"), "abc");

        assertEquals(List.of("Acme"), List.copyOf(ProviderRegistry.load(k -> null, plugins).origins().keySet()));
        assertEquals(List.of(), PluginLoader.fromDirectory(plugins.resolve("absent")));
    }
}
