package io.granary.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks that a module registers its service implementations twice, and the same way: with {@code provides} in
 * the compiled {@code module-info.class} (module path) and in {@code META-INF/services} (class path, shaded jar).
 * A class missing from either list would load in one deployment and silently not in the other.
 */
public final class ServiceRegistrationCheck {

    private ServiceRegistrationCheck() {
    }

    /** Checks {@code target/classes} of the module whose tests are running (Surefire runs in the module directory). */
    public static void assertRegisteredAlike(Class<?> service, Class<?>... expectedImplementations) {
        assertRegisteredAlike(Path.of("target", "classes"), service, expectedImplementations);
    }

    /**
     * @param classes                 a compiled module's output directory, holding {@code module-info.class}
     * @param service                 the service interface, e.g. {@code ProviderAdapter}
     * @param expectedImplementations the classes both lists must name, no more and no fewer
     */
    public static void assertRegisteredAlike(Path classes, Class<?> service, Class<?>... expectedImplementations) {
        Set<String> expected = List.of(expectedImplementations).stream().map(Class::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(expected.isEmpty(), "name at least one implementation");
        assertEquals(expected, provides(classes, service), "module-info.java 'provides " + service.getName() + "'");
        assertEquals(expected, servicesFile(classes, service), "META-INF/services/" + service.getName());
        for (Class<?> implementation : expectedImplementations) {
            assertTrue(service.isAssignableFrom(implementation), implementation + " does not implement " + service);
        }
    }

    /** The implementations the compiled module descriptor provides for a service. */
    public static Set<String> provides(Path classes, Class<?> service) {
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module-info.class in " + classes.toAbsolutePath());
        Set<ModuleReference> modules = ModuleFinder.of(classes).findAll();
        assertEquals(1, modules.size(), "expected exactly one module in " + classes);
        ModuleDescriptor descriptor = modules.iterator().next().descriptor();
        return descriptor.provides().stream()
                .filter(p -> p.service().equals(service.getName()))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The implementations a {@code META-INF/services} file lists, comments and blank lines ignored. */
    public static Set<String> servicesFile(Path classes, Class<?> service) {
        Path file = classes.resolve("META-INF").resolve("services").resolve(service.getName());
        assertTrue(Files.isRegularFile(file), "missing " + file.toAbsolutePath());
        try {
            return Files.readAllLines(file).stream()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
