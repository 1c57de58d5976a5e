package io.granary.core.service;

import io.granary.spi.ProviderAdapter;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds providers: the built-in ones with {@link ServiceLoader} on the class and module path, and those in each
 * {@code *.jar} of a plugins directory. Each jar gets its own {@link URLClassLoader} whose parent is the loader that
 * holds {@code io.granary.spi}, so the plugin and the host share one {@link ProviderAdapter} type, while two plugins
 * cannot see (or clash on) each other's classes. A jar that cannot be loaded, or that provides nothing, stops start-up
 * with a message naming it. The loaders stay open for the life of the process: the providers' classes live in them.
 */
public final class PluginLoader {

    private PluginLoader() {
    }

    public static List<FoundProvider> builtIn() {
        List<FoundProvider> found = new ArrayList<>();
        ServiceLoader.load(ProviderAdapter.class).forEach(adapter -> found.add(FoundProvider.builtIn(adapter)));
        return found;
    }

    /** The providers of every jar in {@code directory}, by file name; none if the directory does not exist. */
    public static List<FoundProvider> fromDirectory(Path directory) {
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the plugins directory " + directory + ": " + e.getMessage(), e);
        }
        List<FoundProvider> found = new ArrayList<>();
        for (Path jar : jars) {
            found.addAll(fromJar(jar));
        }
        return found;
    }

    static List<FoundProvider> fromJar(Path jar) {
        String name = jar.getFileName().toString();
        checkReadable(jar, name);
        URLClassLoader loader = new URLClassLoader("plugin " + name, new URL[] {url(jar)}, ProviderAdapter.class.getClassLoader());
        List<FoundProvider> found = new ArrayList<>();
        try {
            // stream() sees the parent's (built-in) providers too: keep only the classes this jar defines.
            ServiceLoader.load(ProviderAdapter.class, loader).stream()
                    .filter(provider -> provider.type().getClassLoader() == loader)
                    .forEach(provider -> found.add(new FoundProvider(provider.get(), name)));
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalStateException("cannot load plugin " + name + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("plugin " + name + " provides no provider: list its classes in "
                    + "META-INF/services/" + ProviderAdapter.class.getName());
        }
        return found;
    }

    /** A URLClassLoader skips a broken jar silently; open it first so the operator hears about it. */
    private static void checkReadable(Path jar, String name) {
        try (JarFile ignored = new JarFile(jar.toFile())) {
            // readable
        } catch (IOException e) {
            throw new IllegalStateException("cannot load plugin " + name + ": not a readable jar (" + e.getMessage() + ")", e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot load plugin " + jar.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
