package io.granary.core.testing;

import io.granary.spi.ProviderAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real provider plugin jar: compiles a small provider against the SPI with the JDK's compiler, in a package
 * no test class path holds, and lists it in {@code META-INF/services}. The class then exists only inside the jar,
 * as it would for a third party's provider.
 */
public final class PluginJar {

    private PluginJar() {
    }

    /** A jar holding one API-key provider with this id and endpoint suffix, class {@code plugin.<id>.Provider}. */
    public static Path write(Path directory, String fileName, String id, String suffix) {
        String pkg = "plugin." + id.toLowerCase(java.util.Locale.ROOT);
        String source = """
                package %s;

                import io.granary.spi.*;

                public final class Provider implements ProviderAdapter {
                    public ProviderDescriptor descriptor() {
                        return ProviderDescriptor.builder("%s").displayName("%s from a plugin").endpointSuffix("%s")
                                .authType(AuthType.API_KEY).environments(Environment.PRODUCTION)
                                .fields(CredentialField.required("apiKey").asSecret()).build();
                    }

                    public RefreshResult refresh(RefreshContext context) {
                        return RefreshResult.valid();
                    }
                }
                """.formatted(pkg, id, id, suffix);
        try {
            Path work = Files.createTempDirectory("plugin-src");
            Path file = work.resolve("Provider.java");
            Files.writeString(file, source);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-d", work.resolve("classes").toString(),
                    "-cp", spiLocation(), file.toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed on the test plugin");
            }
            Path classFile = work.resolve("classes").resolve(pkg.replace('.', '/')).resolve("Provider.class");
            Path jar = directory.resolve(fileName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                entry(out, pkg.replace('.', '/') + "/Provider.class", Files.readAllBytes(classFile));
                entry(out, "META-INF/services/" + ProviderAdapter.class.getName(), (pkg + ".Provider\n").getBytes(StandardCharsets.UTF_8));
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar with only a services file naming a class it does not hold. */
    public static Path writeBroken(Path directory, String fileName) {
        try {
            Path jar = directory.resolve(fileName);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                entry(out, "META-INF/services/" + ProviderAdapter.class.getName(), "plugin.missing.Provider\n".getBytes(StandardCharsets.UTF_8));
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void entry(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static String spiLocation() {
        try {
            return Path.of(ProviderAdapter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
